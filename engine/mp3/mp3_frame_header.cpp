#include "engine/mp3/mp3_frame_header.hpp"

namespace spence::engine {

std::optional<mp3_frame_header> parse_mp3_frame_header(std::span<const std::uint8_t> b) {
  if (b.size() < 4 || b[0] != 0xFF || (b[1] & 0xE0) != 0xE0) return std::nullopt;
  const int version_bits = (b[1] >> 3) & 3;  // 0: MPEG-2.5, 1: reserved, 2: MPEG-2, 3: MPEG-1
  const int layer_bits = (b[1] >> 1) & 3;    // 0: reserved (ADTS AAC uses it), 1: III, 2: II, 3: I
  const int bitrate_index = b[2] >> 4;
  const int rate_index = (b[2] >> 2) & 3;
  if (version_bits == 1 || layer_bits == 0 || bitrate_index == 0 || bitrate_index == 15 || rate_index == 3)
    return std::nullopt;

  static constexpr std::uint16_t bitrates[2][3][15] = {
      // MPEG-1: layer I, II, III
      {{0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448},
       {0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384},
       {0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}},
      // MPEG-2 and 2.5: layer I, II, III
      {{0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160},
       {0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}}};
  static constexpr std::uint32_t rates[3] = {44100, 48000, 32000};

  const bool mpeg1 = version_bits == 3;
  mp3_frame_header h;
  h.layer = static_cast<std::uint8_t>(4 - layer_bits);
  h.sample_rate = rates[rate_index] >> (mpeg1 ? 0 : version_bits == 2 ? 1 : 2);
  h.channels = (b[3] >> 6) == 3 ? 1 : 2;
  const std::uint32_t bitrate = bitrates[mpeg1 ? 0 : 1][h.layer - 1][bitrate_index] * 1000u;
  const std::uint32_t padding = (b[2] >> 1) & 1;
  if (h.layer == 1) {
    h.frame_bytes = (12 * bitrate / h.sample_rate + padding) * 4;
  } else {
    const std::uint32_t samples = h.layer == 3 && !mpeg1 ? 576 : 1152;
    h.frame_bytes = samples / 8 * bitrate / h.sample_rate + padding;
  }
  return h;
}

}  // namespace spence::engine
