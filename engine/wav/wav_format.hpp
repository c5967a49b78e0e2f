#pragma once
// The WAVE "fmt " chunk: how the samples of the data chunk are laid out. spence reads linear PCM
// (8-bit unsigned; 16, 24 and 32-bit signed) and IEEE float (32 and 64-bit), plain or as
// WAVE_FORMAT_EXTENSIBLE, 1 to 8 channels at 8 to 384 kHz; every other format tag is named in an
// unsupported_codec error (ADPCM, A-law, mu-law, MP3 in WAV, ...).

#include <cstdint>
#include <span>
#include <string_view>

namespace spence::engine {

enum class wav_sample_type { uint8, int16, int24, int32, float32, float64 };

struct wav_format {
  wav_sample_type type = wav_sample_type::int16;
  std::uint16_t channels = 0;
  std::uint32_t sample_rate = 0;
  std::uint16_t block_align = 0;  // bytes per frame: channels * bytes per sample
};

inline constexpr std::uint16_t wav_max_channels = 8;
inline constexpr std::uint32_t wav_min_sample_rate = 8'000;
inline constexpr std::uint32_t wav_max_sample_rate = 384'000;

// The smallest fmt body (WAVEFORMAT with wBitsPerSample) and the extensible one (with cbSize,
// valid bits, channel mask and sub-format GUID).
inline constexpr std::size_t wav_fmt_min_bytes = 16;
inline constexpr std::size_t wav_fmt_extensible_bytes = 40;

std::size_t wav_sample_bytes(wav_sample_type type) noexcept;

// Parses a fmt chunk's body. Throws media_error naming source: malformed when fields contradict
// each other or are zero, unsupported_codec for formats, channel counts and rates spence does not read.
wav_format parse_wav_format(std::span<const std::uint8_t> body, std::string_view source);

}  // namespace spence::engine
