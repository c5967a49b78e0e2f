#include "engine/wav/wav_format.hpp"

#include "engine/media_error.hpp"
#include "engine/wav/little_endian.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace spence::engine {
namespace {

constexpr std::uint16_t tag_pcm = 0x0001;
constexpr std::uint16_t tag_float = 0x0003;
constexpr std::uint16_t tag_extensible = 0xFFFE;

// KSDATAFORMAT_SUBTYPE_PCM and _IEEE_FLOAT are the format tag followed by these 14 bytes
// (the GUID 0000xxxx-0000-0010-8000-00aa00389b71 in its little-endian layout).
constexpr std::array<std::uint8_t, 14> subformat_guid_tail = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80,
                                                              0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71};

std::string_view tag_name(std::uint16_t tag) {
  switch (tag) {
    case 0x0002: return "Microsoft ADPCM";
    case 0x0006: return "A-law";
    case 0x0007: return "mu-law";
    case 0x0011: return "IMA ADPCM";
    case 0x0031: return "GSM 6.10";
    case 0x0050: return "MPEG audio";
    case 0x0055: return "MPEG layer III";
    case 0x00FF: return "AAC";
    case 0x2000: return "AC-3";
    default: return "unknown";
  }
}

[[noreturn]] void fail(media_errc code, std::string_view source, std::string_view detail) {
  throw media_error(code, source, fmt::format("fmt chunk: {}", detail));
}

wav_sample_type sample_type(std::uint16_t tag, std::uint16_t bits, std::string_view source) {
  if (bits == 0) fail(media_errc::malformed, source, "0 bits per sample");
  if (tag == tag_pcm) {
    switch (bits) {
      case 8: return wav_sample_type::uint8;
      case 16: return wav_sample_type::int16;
      case 24: return wav_sample_type::int24;
      case 32: return wav_sample_type::int32;
    }
    fail(media_errc::unsupported_codec, source, fmt::format("PCM with {} bits per sample (spence reads 8, 16, 24, 32)", bits));
  }
  if (bits == 32) return wav_sample_type::float32;
  if (bits == 64) return wav_sample_type::float64;
  fail(media_errc::unsupported_codec, source, fmt::format("IEEE float with {} bits per sample (spence reads 32, 64)", bits));
}

// WAVE_FORMAT_EXTENSIBLE: the real format is the sub-format GUID's; the container size stays
// wBitsPerSample, the valid bits (left-justified, low bits zero) only have to fit in it.
std::uint16_t extensible_tag(std::span<const std::uint8_t> body, std::uint16_t bits, std::string_view source) {
  if (body.size() < wav_fmt_extensible_bytes || le::u16(&body[16]) < wav_fmt_extensible_bytes - 18)
    fail(media_errc::malformed, source, fmt::format("WAVE_FORMAT_EXTENSIBLE in {} bytes, needs {}", body.size(), wav_fmt_extensible_bytes));
  const std::uint16_t valid_bits = le::u16(&body[18]);
  if (valid_bits > bits)
    fail(media_errc::malformed, source, fmt::format("{} valid bits in a {}-bit container", valid_bits, bits));
  if (!std::equal(subformat_guid_tail.begin(), subformat_guid_tail.end(), body.begin() + 26))
    fail(media_errc::unsupported_codec, source, "WAVE_FORMAT_EXTENSIBLE with a sub-format that is not PCM or float");
  return le::u16(&body[24]);
}

}  // namespace

std::size_t wav_sample_bytes(wav_sample_type type) noexcept {
  switch (type) {
    case wav_sample_type::uint8: return 1;
    case wav_sample_type::int16: return 2;
    case wav_sample_type::int24: return 3;
    case wav_sample_type::int32: return 4;
    case wav_sample_type::float32: return 4;
    case wav_sample_type::float64: return 8;
  }
  return 0;
}

wav_format parse_wav_format(std::span<const std::uint8_t> body, std::string_view source) {
  if (body.size() < wav_fmt_min_bytes)
    fail(media_errc::malformed, source, fmt::format("{} bytes, needs at least {}", body.size(), wav_fmt_min_bytes));
  std::uint16_t tag = le::u16(&body[0]);
  const std::uint16_t channels = le::u16(&body[2]);
  const std::uint32_t rate = le::u32(&body[4]);
  const std::uint16_t block_align = le::u16(&body[12]);
  const std::uint16_t bits = le::u16(&body[14]);
  if (tag == tag_extensible) tag = extensible_tag(body, bits, source);
  if (tag != tag_pcm && tag != tag_float)
    fail(media_errc::unsupported_codec, source, fmt::format("format tag {:#06x} ({})", tag, tag_name(tag)));

  wav_format format;
  format.type = sample_type(tag, bits, source);
  if (channels == 0) fail(media_errc::malformed, source, "0 channels");
  if (channels > wav_max_channels)
    fail(media_errc::unsupported_codec, source, fmt::format("{} channels (spence reads 1 to {})", channels, wav_max_channels));
  if (rate == 0) fail(media_errc::malformed, source, "sample rate 0");
  if (rate < wav_min_sample_rate || rate > wav_max_sample_rate)
    fail(media_errc::unsupported_codec, source,
         fmt::format("sample rate {} Hz (spence reads {} to {})", rate, wav_min_sample_rate, wav_max_sample_rate));
  const std::size_t frame_bytes = channels * wav_sample_bytes(format.type);
  if (block_align != frame_bytes)
    fail(media_errc::malformed, source,
         fmt::format("block align {} for {} channels of {} bits (expected {})", block_align, channels, bits, frame_bytes));
  format.channels = channels;
  format.sample_rate = rate;
  format.block_align = block_align;
  return format;
}

}  // namespace spence::engine
