#pragma once
// A container demuxer that yields Opus packets (WebM/Matroska, Ogg). Packets are what the encoder
// produced, untouched, so a 48 kHz 20 ms stream can go to the wire as it is (passthrough).

#include "engine/opus_head.hpp"

#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

struct opus_stream_info {
  opus_head head;
  // Samples at 48 kHz the decoder discards at the very start (Matroska CodecDelay, else pre-skip).
  std::uint32_t codec_delay = 0;
  // Length in 48 kHz samples when the container says it (duration element, last granule).
  std::optional<std::int64_t> duration;
  // Whether seek() can jump (Cues, a seekable source); without it seek() scans forward.
  bool seekable = false;
};

struct opus_packet {
  // The packet's bytes; valid until the next call on the demuxer.
  std::span<const std::uint8_t> data;
  // Presentation time of the packet's first sample, in 48 kHz samples from the start of the stream
  // (before codec_delay is removed).
  std::int64_t timestamp = 0;
  // Increments when a new logical stream begins (a chained Ogg stream): info() may have changed and
  // the decoder must be reset.
  std::uint32_t stream_index = 0;
  // Samples at the end of this packet that are encoder padding, not audio (Matroska's
  // DiscardPadding on a stream's last block); the decoder drops them.
  std::uint32_t trim_end = 0;
};

class opus_demuxer {
 public:
  virtual ~opus_demuxer() = default;

  // The current logical stream's parameters.
  virtual const opus_stream_info& info() const = 0;

  // The next packet, or nullopt at the end of the media. Throws media_error on malformed input.
  virtual std::optional<opus_packet> next() = 0;

  // Positions the demuxer so that next() returns the last packet starting at or before `timestamp`
  // (48 kHz samples, same clock as opus_packet::timestamp), or the first packet when timestamp is
  // earlier than all. Returns that packet's timestamp. Throws media_error(not_seekable) when the
  // source cannot seek and the target lies behind.
  virtual std::int64_t seek(std::int64_t timestamp) = 0;
};

}  // namespace spence::engine
