#pragma once
// One track rendered on its own, from opened media to 20 ms Opus packets for the wire (what
// `spence render` and the pipeline benchmark run): a track_reader's packets when they can pass
// through, otherwise its PCM at the given volume through a frame_encoder.
//   passthrough: a 48 kHz Opus source with 20 ms frames, at most two channels, volume 1.0, no
//                filter and passthrough allowed: the source's packets, untouched;
//   transcode:   decode -> mix to stereo -> resample to 48 kHz -> filters -> volume -> encode Opus.
// A passthrough stream that stops qualifying switches to transcoding seamlessly, and back to
// packets when it qualifies again (see track_reader and frame_encoder for the exact switch).
// The same media and settings give the same packets, byte for byte.

#include "engine/frame_encoder.hpp"
#include "engine/track_reader.hpp"

#include <optional>

namespace spence::engine {

struct pipeline_settings {
  std::int64_t start_sample = 0;  // where the track starts, in 48 kHz samples
  float volume = 1.0f;            // linear gain; anything but 1.0 needs transcoding
  filter_settings filters;        // any enabled filter needs transcoding
  passthrough_policy passthrough = passthrough_policy::automatic;
  opus_encoder_settings encoder;
  resampler_quality resampling = default_resampler_quality;
};

class frame_pipeline {
 public:
  static constexpr std::size_t frame_samples = track_reader::frame_samples;

  frame_pipeline(opened_media media, const pipeline_settings& settings);

  // The next 20 ms packet (valid until the next call), or nullopt when the track has ended.
  // Throws media_error when the source fails.
  std::optional<std::span<const std::uint8_t>> next();

  // Continues from `sample` (48 kHz, from the start of the track): packet-accurate in
  // passthrough, sample-exact when transcoding. The encoder keeps its state, so the stream of
  // packets stays one continuous Opus stream. Throws media_error(not_seekable).
  void seek(std::int64_t sample) { track_.seek(sample); }

  // Takes effect from the next frame. Throws std::invalid_argument on invalid settings.
  void set_filters(const filter_settings& filters) { track_.set_filters(filters); }

  // Whether the packets are the source's own at this point.
  bool passthrough() const { return source_qualifies_ && track_.packets_qualify() && track_.passthrough(); }
  // Frames produced so far in passthrough and in transcoding.
  std::uint64_t passthrough_frames() const noexcept { return passthrough_frames_; }
  std::uint64_t transcoded_frames() const noexcept { return transcoded_frames_; }
  // The identification header describing next()'s packets (for an Ogg file of them).
  const opus_head& output_head() const noexcept { return output_head_; }
  const std::string& source_name() const noexcept { return track_.name(); }

 private:
  static track_settings track_settings_of(const pipeline_settings& settings);
  std::optional<std::span<const std::uint8_t>> transcoded(std::optional<std::span<const std::uint8_t>> packet);

  pipeline_settings settings_;
  bool source_qualifies_;  // the source could pass through, settings aside
  track_reader track_;
  frame_encoder encoder_;
  opus_head output_head_;
  std::vector<float> scaled_;  // a frame at the pipeline's volume
  std::uint64_t passthrough_frames_ = 0;
  std::uint64_t transcoded_frames_ = 0;
};

}  // namespace spence::engine
