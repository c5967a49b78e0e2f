#pragma once
// The ID3v2 tag that may lead an MP3 stream (id3.org, ID3v2.4 section 3.1): only its size, so that a
// stream reader can step over album art and text frames without holding them.

#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

inline constexpr std::size_t id3v2_header_bytes = 10;

// The whole tag's length (header, body and optional footer) when bytes start with a valid ID3v2
// header, nullopt otherwise. At most 10 + 2^28 - 1 + 10 bytes: the size field is 28 bits.
std::optional<std::uint64_t> id3v2_tag_bytes(std::span<const std::uint8_t> bytes);

}  // namespace spence::engine
