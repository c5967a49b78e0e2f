#pragma once
// The 4-byte MPEG audio frame header (MPEG-1/2/2.5, layers I-III): enough to recognise a stream
// and to step from one frame to the next. Decoding itself is libmpg123's.

#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

struct mp3_frame_header {
  std::uint8_t layer = 0;          // 1, 2 or 3
  std::uint32_t sample_rate = 0;
  std::uint8_t channels = 0;
  std::uint32_t frame_bytes = 0;   // the whole frame, header included
};

// Parses the header at the start of bytes (at least 4 of them); nullopt if it is not a valid one.
std::optional<mp3_frame_header> parse_mp3_frame_header(std::span<const std::uint8_t> bytes);

}  // namespace spence::engine
