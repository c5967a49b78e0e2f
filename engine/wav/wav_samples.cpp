#include "engine/wav/wav_samples.hpp"

#include "engine/wav/little_endian.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace spence::engine {
namespace {

float clamp_float(float v) { return std::isnan(v) ? 0.0f : std::clamp(v, -1.0f, 1.0f); }

template <typename Convert>
void convert_each(std::span<const std::uint8_t> bytes, std::size_t sample_bytes, std::span<float> out, Convert convert) {
  const std::size_t n = bytes.size() / sample_bytes;
  for (std::size_t i = 0; i < n; ++i) out[i] = convert(&bytes[i * sample_bytes]);
}

}  // namespace

void convert_wav_samples(wav_sample_type type, std::span<const std::uint8_t> bytes, std::span<float> out) {
  const std::size_t size = wav_sample_bytes(type);
  switch (type) {
    case wav_sample_type::uint8:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) { return (static_cast<int>(p[0]) - 128) / 128.0f; });
    case wav_sample_type::int16:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) { return static_cast<std::int16_t>(le::u16(p)) / 32768.0f; });
    case wav_sample_type::int24:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) {
        // The three bytes placed at the top of 32 bits, then shifted back down with the sign.
        const auto top = static_cast<std::int32_t>(static_cast<std::uint32_t>(p[0]) << 8 |
                                                   static_cast<std::uint32_t>(p[1]) << 16 |
                                                   static_cast<std::uint32_t>(p[2]) << 24);
        return static_cast<float>(top >> 8) / 8388608.0f;
      });
    case wav_sample_type::int32:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) {
        return static_cast<float>(static_cast<std::int32_t>(le::u32(p))) / 2147483648.0f;
      });
    case wav_sample_type::float32:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) { return clamp_float(std::bit_cast<float>(le::u32(p))); });
    case wav_sample_type::float64:
      return convert_each(bytes, size, out, [](const std::uint8_t* p) {
        const double v = std::bit_cast<double>(le::u64(p));
        return std::isnan(v) ? 0.0f : static_cast<float>(std::clamp(v, -1.0, 1.0));
      });
  }
}

}  // namespace spence::engine
