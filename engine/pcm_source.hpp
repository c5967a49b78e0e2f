#pragma once
// Decoded audio: interleaved float samples in [-1, 1] at the source's own rate and channel count.
// WAV and MP3 are read straight into PCM; Opus demuxers reach PCM through opus_decoding_source.

#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

struct pcm_format {
  std::uint32_t sample_rate = 0;
  std::uint16_t channels = 0;
  friend bool operator==(const pcm_format&, const pcm_format&) = default;
};

struct pcm_block {
  // Interleaved samples, frames() * format.channels of them; valid until the next call.
  std::span<const float> samples;
  // The format of these samples. It may change between blocks (a chained stream, an MP3 stream
  // switching rate), never within one.
  pcm_format format;
  std::size_t frames() const noexcept { return format.channels ? samples.size() / format.channels : 0; }
};

class pcm_source {
 public:
  virtual ~pcm_source() = default;

  // The format of the stream's start (the first block's format).
  virtual pcm_format format() const = 0;

  // Length in frames of the source's rate when known.
  virtual std::optional<std::int64_t> duration_frames() const = 0;

  // The next block of at most max_frames frames; an empty block at the end. Throws media_error.
  virtual pcm_block read(std::size_t max_frames) = 0;

  // Positions the source so that the next read starts exactly at `frame` (source rate). Returns the
  // frame actually reached (clamped to the end). Throws media_error(not_seekable).
  virtual std::int64_t seek(std::int64_t frame) = 0;
};

}  // namespace spence::engine
