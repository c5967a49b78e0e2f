#include "engine/mp3/id3v2_tag.hpp"

namespace spence::engine {

std::optional<std::uint64_t> id3v2_tag_bytes(std::span<const std::uint8_t> b) {
  if (b.size() < id3v2_header_bytes || b[0] != 'I' || b[1] != 'D' || b[2] != '3') return std::nullopt;
  // Version bytes are never 0xFF; the size is "synchsafe": four 7-bit groups, high bit clear.
  if (b[3] == 0xFF || b[4] == 0xFF) return std::nullopt;
  std::uint64_t size = 0;
  for (std::size_t i = 6; i < 10; ++i) {
    if (b[i] & 0x80) return std::nullopt;
    size = size << 7 | b[i];
  }
  const bool footer = (b[5] & 0x10) != 0;
  return id3v2_header_bytes + size + (footer ? id3v2_header_bytes : 0);
}

}  // namespace spence::engine
