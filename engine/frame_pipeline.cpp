#include "engine/frame_pipeline.hpp"

namespace spence::engine {
track_settings frame_pipeline::track_settings_of(const pipeline_settings& settings) {
  return {settings.start_sample, settings.filters,
          settings.volume == 1.0f ? settings.passthrough : passthrough_policy::never, settings.resampling};
}

frame_pipeline::frame_pipeline(opened_media media, const pipeline_settings& settings)
    : settings_(settings),
      source_qualifies_(media.opus && stream_can_pass_through(media.opus->info())),
      track_(std::move(media), track_settings_of(settings)),
      encoder_(settings.encoder) {
  if (passthrough()) {
    output_head_ = track_.source_head();
  } else {
    output_head_.channels = 2;
    output_head_.pre_skip = static_cast<std::uint16_t>(encoder_.lookahead());
    output_head_.input_sample_rate = track_.source_head().input_sample_rate;
  }
}

std::optional<std::span<const std::uint8_t>> frame_pipeline::transcoded(
    std::optional<std::span<const std::uint8_t>> packet) {
  if (packet) ++transcoded_frames_;
  return packet;
}

std::optional<std::span<const std::uint8_t>> frame_pipeline::next() {
  for (;;) {
    if (auto packet = encoder_.pop()) return transcoded(packet);
    // Back to packets: first the audio the encoder holds, so nothing is lost at the switch.
    if (encoder_.holds_audio() && track_.can_resume_packets()) return transcoded(encoder_.finish());
    const auto frame = track_.next(!encoder_.holds_audio());
    if (!frame) return transcoded(encoder_.finish());
    if (!frame->packet.empty()) {
      ++passthrough_frames_;
      return frame->packet;
    }
    std::span<const float> pcm = frame->pcm;
    if (settings_.volume != 1.0f) {
      scaled_.assign(pcm.begin(), pcm.end());
      for (float& s : scaled_) s *= settings_.volume;
      pcm = scaled_;
    }
    encoder_.push(pcm, frame->primer);
  }
}

}  // namespace spence::engine
