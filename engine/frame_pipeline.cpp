#include "engine/frame_pipeline.hpp"

#include "engine/opus_decoding_source.hpp"

#include <opus/opus.h>

#include <algorithm>

namespace spence::engine {
namespace {

// Packets kept to prime the decoder on a switch: RFC 7845's 80 ms pre-roll in 20 ms packets.
constexpr std::size_t primer_packets = 4;

bool is_twenty_ms(std::span<const std::uint8_t> packet) {
  return opus_packet_get_nb_samples(packet.data(), static_cast<opus_int32>(packet.size()), 48000) == 960;
}

bool can_pass_through(const opus_stream_info& info, const pipeline_settings& settings) {
  return settings.passthrough == passthrough_policy::automatic && settings.volume == 1.0f &&
         !settings.filters.any_enabled() &&
         info.head.mapping_family == 0 && info.head.channels <= 2;
}

}  // namespace

frame_pipeline::frame_pipeline(opened_media media, const pipeline_settings& settings)
    : name_(std::move(media.name)), settings_(settings) {
  if (media.opus && can_pass_through(media.opus->info(), settings)) {
    output_head_ = media.opus->info().head;
    passthrough_.emplace(passthrough_state{std::move(media.opus), {}});
  } else if (media.opus) {
    use_pcm(std::make_unique<opus_decoding_source>(std::move(media.opus), name_));
  } else {
    use_pcm(std::move(media.pcm));
  }
  if (settings.start_sample > 0) seek(settings.start_sample);
}

void frame_pipeline::seek(std::int64_t sample) {
  sample = std::max<std::int64_t>(0, sample);
  if (passthrough_) {
    passthrough_->demuxer->seek(sample + passthrough_->demuxer->info().codec_delay);
    passthrough_->recent.clear();  // primers must be the packets just before the next one
    return;
  }
  pcm_->seek(sample * pcm_->format().sample_rate / 48000);
  // What was decoded for the old position is dropped; the mixer and resampler are set up afresh
  // by the next block.
  resampler_.reset();
  if (filters_) filters_->reset();
  format_ = {};
  pending_.clear();
  pending_start_ = 0;
  source_ended_ = false;
}

frame_pipeline::~frame_pipeline() = default;

void frame_pipeline::use_pcm(std::unique_ptr<pcm_source> pcm) {
  pcm_ = std::move(pcm);
  use_filters();
  encoder_.emplace(settings_.encoder);
  output_head_ = opus_head{};
  output_head_.channels = 2;
  output_head_.pre_skip = static_cast<std::uint16_t>(encoder_->lookahead());
  output_head_.input_sample_rate = pcm_->format().sample_rate;
}

std::optional<std::span<const std::uint8_t>> frame_pipeline::next() {
  return passthrough_ ? next_passthrough() : next_transcoded();
}

std::optional<std::span<const std::uint8_t>> frame_pipeline::next_passthrough() {
  const auto packet = passthrough_->demuxer->next();
  if (!packet) return std::nullopt;
  const bool same_stream_rules = can_pass_through(passthrough_->demuxer->info(), settings_);
  if (!same_stream_rules || !is_twenty_ms(packet->data)) {
    start_transcoding(*packet);
    return next_transcoded();
  }
  auto& recent = passthrough_->recent;
  if (recent.size() == primer_packets) {
    // Reuse the oldest buffer: no allocation per frame once the ring is full.
    recent.push_back(std::move(recent.front()));
    recent.pop_front();
  } else {
    recent.emplace_back();
  }
  recent.back().assign(packet->data.begin(), packet->data.end());
  ++passthrough_frames_;
  return std::span<const std::uint8_t>(recent.back());
}

void frame_pipeline::start_transcoding(const opus_packet& first) {
  passthrough_state state = std::move(*passthrough_);
  passthrough_.reset();
  auto decoding = std::make_unique<opus_decoding_source>(std::move(state.demuxer), name_);
  const std::vector<std::vector<std::uint8_t>> sent(state.recent.begin(), state.recent.end());
  const std::vector<float> last_sent = decoding->continue_from(sent, first.data, first.timestamp);
  const pcm_format format = decoding->format();
  // The Ogg head already written describes the passed-through packets; the encoder's stereo
  // packets decode with it too, so output_head_ stays as it was.
  const opus_head head = output_head_;
  use_pcm(std::move(decoding));
  output_head_ = head;
  if (last_sent.empty()) return;
  // A fresh encoder's first packet starts `lookahead` samples early with silence. Feeding it the
  // audio already sent, from lookahead samples after the start of the last sent frame, and
  // dropping that packet makes the first new packet start exactly where the last sent one ended.
  convert(pcm_block{last_sent, format});
  const std::size_t keep = (frame_samples - static_cast<std::size_t>(encoder_->lookahead())) * 2;
  pending_.erase(pending_.begin(), pending_.end() - static_cast<std::ptrdiff_t>(std::min(keep, pending_.size())));
  discard_packets_ = 1;
  // The receiving decoder's state comes from the source's encoder, not this one: the first packet
  // it gets from this encoder must not lean on predictions from packets it never saw.
  encoder_->set_prediction(false);
}

void frame_pipeline::convert(const pcm_block& block) {
  if (block.format != format_) {
    flush_resampler();
    format_ = block.format;
    downmix_.emplace(format_.channels, name_);
    if (format_.sample_rate == 48000)
      resampler_.reset();
    else
      resampler_ = std::make_unique<resampler>(format_.sample_rate, 48000, settings_.resampling, name_);
  }
  stereo_.resize(block.frames() * 2);
  downmix_->apply(block.samples, stereo_);
  deliver(resampler_ ? resampler_->process(stereo_) : std::span<const float>(stereo_));
}

void frame_pipeline::deliver(std::span<const float> stereo48) {
  const std::size_t at = pending_.size();
  pending_.insert(pending_.end(), stereo48.begin(), stereo48.end());
  if (settings_.volume != 1.0f)
    for (std::size_t i = at; i < pending_.size(); ++i) pending_[i] *= settings_.volume;
  if (!filters_) return;
  const std::span<const float> filtered = filters_->process(std::span<const float>(pending_).subspan(at));
  // Timescale may return more or fewer samples than it was given, so the block is replaced.
  staged_.assign(filtered.begin(), filtered.end());
  pending_.resize(at);
  pending_.insert(pending_.end(), staged_.begin(), staged_.end());
}

void frame_pipeline::flush_resampler() {
  if (!resampler_) return;
  deliver(resampler_->process({}, true));
  resampler_.reset();
}

void frame_pipeline::set_filters(const filter_settings& filters) {
  validate(filters);
  settings_.filters = filters;
  // A passthrough stream checks its settings at every packet and switches by itself.
  if (!passthrough_) use_filters();
}

void frame_pipeline::use_filters() {
  if (settings_.filters.any_enabled())
    filters_.emplace(settings_.filters);
  else
    filters_.reset();
}

std::optional<std::span<const std::uint8_t>> frame_pipeline::next_transcoded() {
  constexpr std::size_t frame_values = frame_samples * 2;
  while (pending_.size() - pending_start_ < frame_values && !source_ended_) {
    // Compact before growing, so pending_ stays a few frames long whatever the block sizes.
    if (pending_start_ > 0) {
      pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(pending_start_));
      pending_start_ = 0;
    }
    const pcm_block block = pcm_->read(frame_samples);
    if (block.samples.empty()) {
      source_ended_ = true;
      flush_resampler();
      if (filters_) {
        const auto tail = filters_->flush();
        pending_.insert(pending_.end(), tail.begin(), tail.end());
      }
      break;
    }
    convert(block);
  }
  const std::size_t left = pending_.size() - pending_start_;
  if (left == 0) return std::nullopt;
  if (left < frame_values) pending_.resize(pending_start_ + frame_values, 0.0f);  // the last frame, padded with silence
  const auto packet = encoder_->encode(std::span<const float>(pending_).subspan(pending_start_, frame_values));
  pending_start_ += frame_values;
  if (discard_packets_ > 0) {
    --discard_packets_;
    return next_transcoded();
  }
  if (transcoded_frames_ == 0 && passthrough_frames_ > 0) encoder_->set_prediction(true);
  ++transcoded_frames_;
  return packet;
}

}  // namespace spence::engine
