#include "engine/wav/wav_header.hpp"

#include "engine/wav/little_endian.hpp"

#include <fmt/format.h>

#include <array>
#include <cstring>
#include <vector>

namespace spence::engine {
namespace {

constexpr std::uint32_t size_unknown = 0xFFFFFFFF;

bool is(const std::uint8_t* id, const char (&fourcc)[5]) { return std::memcmp(id, fourcc, 4) == 0; }

// The ds64 chunk of RF64: the real data size, for a data chunk whose 32-bit size says 0xFFFFFFFF.
std::uint64_t read_ds64(byte_reader& reader, std::uint32_t size) {
  constexpr std::uint32_t ds64_min_bytes = 28;  // RIFF size, data size, sample count, table length
  if (size < ds64_min_bytes || size > wav_max_fmt_bytes)
    reader.fail(media_errc::malformed, fmt::format("ds64 chunk of {} bytes", size));
  std::array<std::uint8_t, ds64_min_bytes> body{};
  reader.read_exact(body);
  reader.skip(size - ds64_min_bytes + (size & 1));
  return le::u64(&body[8]);
}

}  // namespace

wav_layout read_wav_header(byte_reader& reader) {
  std::array<std::uint8_t, 12> riff{};
  reader.read_exact(riff);
  if (is(&riff[0], "RIFX")) reader.fail(media_errc::unsupported_format, "big-endian RIFX WAVE");
  const bool rf64 = is(&riff[0], "RF64");
  if (!(is(&riff[0], "RIFF") || rf64) || !is(&riff[8], "WAVE")) reader.fail(media_errc::malformed, "not a RIFF/WAVE file");
  // The RIFF size is not checked: writers that stream leave it 0 or 0xFFFFFFFF, others get it wrong.

  std::optional<wav_format> format;
  std::optional<std::uint64_t> rf64_data_bytes;
  for (;;) {
    std::array<std::uint8_t, 8> chunk{};
    reader.read_exact(chunk);
    const std::uint32_t size = le::u32(&chunk[4]);
    if (is(&chunk[0], "data")) {
      if (!format) reader.fail(media_errc::malformed, "data chunk before the fmt chunk");
      wav_layout layout{*format, reader.position(), std::nullopt};
      if (size == size_unknown && rf64_data_bytes) {
        layout.data_bytes = rf64_data_bytes;
      } else if (size != 0 && size != size_unknown) {
        layout.data_bytes = size;
      }
      return layout;
    }
    const std::uint64_t padded = std::uint64_t{size} + (size & 1);
    if (reader.position() + padded > wav_max_header_bytes)
      reader.fail(media_errc::limit_exceeded,
                  fmt::format("chunk of {} bytes would take the header past {} bytes", size, wav_max_header_bytes));
    if (is(&chunk[0], "fmt ")) {
      if (format) reader.fail(media_errc::malformed, "a second fmt chunk");
      if (size > wav_max_fmt_bytes) reader.fail(media_errc::limit_exceeded, fmt::format("fmt chunk of {} bytes", size));
      std::vector<std::uint8_t> body(size);
      reader.read_exact(body);
      format = parse_wav_format(body, reader.source_name());
      reader.skip(size & 1);
    } else if (rf64 && is(&chunk[0], "ds64")) {
      rf64_data_bytes = read_ds64(reader, size);
    } else {
      reader.skip(padded);
    }
  }
}

}  // namespace spence::engine
