#include "engine/frame_encoder.hpp"

#include <algorithm>

namespace spence::engine {
namespace {
constexpr std::size_t frame_values = frame_encoder::frame_samples * 2;
}

frame_encoder::frame_encoder(const opus_encoder_settings& settings) : encoder_(settings) {}

void frame_encoder::push(std::span<const float> pcm, std::span<const float> primer) {
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

}  // namespace spence::engine
