#include "engine/frame_encoder.hpp"

#include "engine/media_error.hpp"

#include <algorithm>
#include <cmath>

namespace spence::engine {
namespace {

constexpr std::size_t frame_values = frame_encoder::frame_samples * 2;
// Below this (-60 dBFS RMS) a decoded difference is inaudible whatever the audio's level, so
// silence matches silence.
constexpr double silent_error = 1e-3;

}  // namespace

struct frame_encoder::receiver_model {
  opus_decoder decoder{stereo_opus_head(), "receiver model"};
  opus_decoder trial{stereo_opus_head(), "receiver model"};
};

frame_encoder::frame_encoder(const opus_encoder_settings& settings)
    : expected_loss_percent_(settings.expected_loss_percent), encoder_(settings) {}

frame_encoder::~frame_encoder() = default;

void frame_encoder::push(std::span<const float> pcm, std::span<const float> primer) {
  if (handing_back_) {
    encoder_.set_expected_loss(expected_loss_percent_);
    handing_back_ = false;
    receiver_live_ = false;
  }
  append(pcm, primer);
}

void frame_encoder::append(std::span<const float> pcm, std::span<const float> primer) {
  if (!holds_audio() || !primer.empty()) {
    // A new run: the receiver's state before it is not this encoder's doing.
    recent_.clear();
    receiver_live_ = false;
  }
  // Compact before growing, so pending_ stays about two frames long.
  if (start_ > 0) {
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(start_));
    start_ = 0;
  }
  if (!primer.empty()) {
    // From `lookahead` samples into the last sent frame: with the encoder's delay, the packet after
    // the dropped one starts exactly where the last sent packet ended.
    pending_.clear();
    const std::size_t skip = std::min(primer.size(), static_cast<std::size_t>(lookahead()) * 2);
    pending_.insert(pending_.end(), primer.begin() + static_cast<std::ptrdiff_t>(skip), primer.end());
    discard_packets_ = 1;
    // The receiver's decoder state comes from the source's encoder, not this one: the first packet
    // it gets from this encoder must not lean on predictions from packets it never saw.
    encoder_.set_prediction(false);
    first_after_switch_ = true;
  }
  pending_.insert(pending_.end(), pcm.begin(), pcm.end());
}

std::span<const std::uint8_t> frame_encoder::encode_front() {
  const auto packet = encoder_.encode(std::span<const float>(pending_).subspan(start_, frame_values));
  start_ += frame_values;
  return packet;
}

std::optional<std::span<const std::uint8_t>> frame_encoder::pop() {
  if (hand_back_due_) {
    hand_back_due_ = false;
    return std::span<const std::uint8_t>(hand_back_packet_);
  }
  while (pending_.size() - start_ >= frame_values) {
    const auto packet = encode_front();
    if (discard_packets_ > 0) {
      --discard_packets_;
      continue;
    }
    if (first_after_switch_) {
      first_after_switch_ = false;
      encoder_.set_prediction(true);
    }
    remember(packet);
    return packet;
  }
  return std::nullopt;
}

std::optional<std::span<const std::uint8_t>> frame_encoder::finish() {
  if (!holds_audio()) return std::nullopt;
  // Once pop() returned nothing, less than one frame is left: padded, it makes the last packet.
  pending_.resize(start_ + frame_values, 0.0f);
  const auto packet = pop();
  pending_.clear();
  start_ = 0;
  return packet;
}

void frame_encoder::drop() {
  pending_.clear();
  start_ = 0;
  hand_back_due_ = false;
  discard_packets_ = 0;
  if (first_after_switch_) {
    first_after_switch_ = false;
    encoder_.set_prediction(true);
  }
}

std::optional<std::span<const std::uint8_t>> frame_encoder::push_handing_back(std::span<const float> pcm,
                                                                               std::span<const std::uint8_t> packet) {
  if (!handing_back_) {
    encoder_.set_expected_loss(0);
    handing_back_ = true;
  }
  append(pcm, {});
  const auto sent = pop();
  if (!receiver_live_ && recent_.size() == receiver_settle_packets) {
    if (!receiver_) receiver_ = std::make_unique<receiver_model>();
    receiver_->decoder.reset();
    for (const auto& p : recent_) receiver_->decoder.decode(p);
    receiver_live_ = true;
  }
  if (sent && receiver_live_ && !packet.empty() && receiver_would_match(packet, pcm)) {
    hand_back_packet_.assign(packet.begin(), packet.end());
    hand_back_due_ = true;
    pending_.clear();
    start_ = 0;
  }
  return sent;
}

void frame_encoder::remember(std::span<const std::uint8_t> packet) {
  if (receiver_live_) {
    receiver_->decoder.decode(packet);
    return;
  }
  if (recent_.size() == receiver_settle_packets) {
    // Reuse the oldest buffer: no allocation per frame once the ring is full.
    recent_.push_back(std::move(recent_.front()));
    recent_.pop_front();
  } else {
    recent_.emplace_back();
  }
  recent_.back().assign(packet.begin(), packet.end());
}

bool frame_encoder::receiver_would_match(std::span<const std::uint8_t> packet, std::span<const float> pcm) {
  receiver_->trial.copy_state_from(receiver_->decoder);
  std::span<const float> decoded;
  try {
    decoded = receiver_->trial.decode(packet);
  } catch (const media_error&) {
    return false;  // a packet the receiver cannot decode is not handed to it
  }
  if (decoded.size() != pcm.size()) return false;
  double error = 0, level = 0;
  for (std::size_t i = 0; i < pcm.size(); ++i) {
    const double difference = decoded[i] - pcm[i];
    error += difference * difference;
    level += static_cast<double>(pcm[i]) * pcm[i];
  }
  const double allowed = std::pow(10.0, hand_back_error_db / 10) * level;
  return error <= std::max(allowed, silent_error * silent_error * static_cast<double>(pcm.size()));
}

}  // namespace spence::engine
