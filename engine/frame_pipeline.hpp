#pragma once
// One track's audio path, from opened media to 20 ms Opus packets for the wire:
//   passthrough: a 48 kHz Opus source with 20 ms frames, at most two channels, volume 1.0 and
//                passthrough allowed: the source's packets, untouched;
//   transcode:   decode -> mix to stereo -> resample to 48 kHz -> volume -> filters -> encode Opus.
// A passthrough stream that meets a packet of another duration switches to transcoding for the
// rest of the track, priming the decoder with the packets already sent so the switch is seamless.
// The same media and settings give the same packets, byte for byte.

#include "engine/dsp/filter_chain.hpp"
#include "engine/media_open.hpp"
#include "engine/opus_encoder.hpp"
#include "engine/resampler.hpp"
#include "engine/stereo_downmix.hpp"

#include <deque>
#include <optional>

namespace spence::engine {

class opus_decoding_source;

enum class passthrough_policy { automatic, never };

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
  static constexpr std::size_t frame_samples = 960;  // 20 ms at 48 kHz

  frame_pipeline(opened_media media, const pipeline_settings& settings);
  ~frame_pipeline();
  frame_pipeline(const frame_pipeline&) = delete;
  frame_pipeline& operator=(const frame_pipeline&) = delete;

  // The next 20 ms packet (valid until the next call), or nullopt when the track has ended.
  // Throws media_error when the source fails.
  std::optional<std::span<const std::uint8_t>> next();

  // Continues from `sample` (48 kHz, from the start of the track): packet-accurate in
  // passthrough, sample-exact when transcoding. The encoder keeps its state, so the stream of
  // packets stays one continuous Opus stream. Throws media_error(not_seekable).
  void seek(std::int64_t sample);

  // Takes effect from the next block; a passthrough stream that stops qualifying switches to
  // transcoding at its next packet. Throws std::invalid_argument on invalid settings.
  void set_filters(const filter_settings& filters);

  bool passthrough() const noexcept { return passthrough_.has_value(); }
  // Frames produced so far in passthrough and in transcoding.
  std::uint64_t passthrough_frames() const noexcept { return passthrough_frames_; }
  std::uint64_t transcoded_frames() const noexcept { return transcoded_frames_; }
  // The identification header describing next()'s packets (for an Ogg file of them).
  const opus_head& output_head() const noexcept { return output_head_; }
  const std::string& source_name() const noexcept { return name_; }

 private:
  struct passthrough_state {
    std::unique_ptr<opus_demuxer> demuxer;
    // The latest packets sent, oldest first, to prime a decoder if the stream stops qualifying.
    std::deque<std::vector<std::uint8_t>> recent;
  };

  std::optional<std::span<const std::uint8_t>> next_passthrough();
  std::optional<std::span<const std::uint8_t>> next_transcoded();
  // Switches a passthrough stream to transcoding, `first` being the packet that did not qualify.
  void start_transcoding(const opus_packet& first);
  void use_pcm(std::unique_ptr<pcm_source> pcm);
  // Appends a decoded block (any format) to pending_ as 48 kHz stereo with volume applied.
  void convert(const pcm_block& block);
  // Appends 48 kHz stereo to pending_ through volume and the filters.
  void deliver(std::span<const float> stereo48);
  void flush_resampler();
  void use_filters();

  std::string name_;
  pipeline_settings settings_;
  opus_head output_head_;
  std::optional<passthrough_state> passthrough_;

  std::unique_ptr<pcm_source> pcm_;
  pcm_format format_;  // of the blocks the mixer and resampler are set up for
  std::optional<stereo_downmix> downmix_;
  std::unique_ptr<resampler> resampler_;
  std::optional<filter_chain> filters_;
  std::optional<opus_encoder> encoder_;
  std::vector<float> stereo_;   // one block mixed to stereo
  std::vector<float> pending_;  // 48 kHz stereo not yet encoded
  std::vector<float> staged_;   // a filtered block on its way into pending_
  std::size_t pending_start_ = 0;
  // Encoded packets to drop: after a switch from passthrough, the one that only primed the encoder.
  int discard_packets_ = 0;
  bool source_ended_ = false;
  std::uint64_t passthrough_frames_ = 0;
  std::uint64_t transcoded_frames_ = 0;
};

}  // namespace spence::engine
