#pragma once
// Which codec a logical Ogg stream carries, from the first bytes of its beginning-of-stream packet
// (each codec's Ogg mapping starts with a magic signature), so that a file spence cannot play
// fails with the codec's name.

#include <cstdint>
#include <span>
#include <string_view>

namespace spence::engine {

struct ogg_codec {
  std::string_view name;  // "Opus", "Vorbis", ...; "unknown" when no signature matches
  bool media = true;      // false for metadata streams (Skeleton), which carry no audio or video
};

ogg_codec identify_ogg_codec(std::span<const std::uint8_t> first_packet) noexcept;

}  // namespace spence::engine
