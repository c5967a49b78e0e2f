#pragma once
// What an Icecast server sends a client that asked for metadata: the audio with a block after
// every `metaint` bytes, each block the next of `texts` padded with NULs to 16 bytes, or the usual
// empty block (a zero length byte) once `texts` runs out or holds an empty string.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace spence::test {

inline std::vector<std::uint8_t> with_icy_blocks(const std::vector<std::uint8_t>& audio, std::size_t metaint,
                                                 const std::vector<std::string>& texts) {
  std::vector<std::uint8_t> out;
  std::size_t block = 0;
  for (std::size_t at = 0; at < audio.size(); at += metaint) {
    const std::size_t n = std::min(metaint, audio.size() - at);
    out.insert(out.end(), audio.begin() + static_cast<std::ptrdiff_t>(at), audio.begin() + static_cast<std::ptrdiff_t>(at + n));
    if (n < metaint) break;
    std::string text = block < texts.size() ? texts[block] : std::string();
    ++block;
    text.resize((text.size() + 15) / 16 * 16, '\0');
    out.push_back(static_cast<std::uint8_t>(text.size() / 16));
    out.insert(out.end(), text.begin(), text.end());
  }
  return out;
}

}  // namespace spence::test
