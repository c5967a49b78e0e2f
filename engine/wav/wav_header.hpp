#pragma once
// The RIFF/WAVE header up to the data chunk: where the samples start, how they are laid out and
// how many bytes of them the file declares. Also reads RF64 (64-bit sizes in a ds64 chunk).
//
// Chunks may come in any order before "data"; unknown ones (LIST, fact, bext, JUNK, ...) are skipped
// with their odd-size padding. "fmt " must precede "data": a stream cannot come back for it.

#include "engine/byte_reader.hpp"
#include "engine/wav/wav_format.hpp"

#include <optional>

namespace spence::engine {

// Bytes before the data chunk spence reads through: room for pictures and metadata, and a bound on
// a stream that sends chunk after chunk and never its audio.
inline constexpr std::uint64_t wav_max_header_bytes = 64 * 1024 * 1024;
// A fmt chunk is 16 to 40 bytes; anything far larger is not one.
inline constexpr std::uint32_t wav_max_fmt_bytes = 1024;

struct wav_layout {
  wav_format format;
  std::uint64_t data_offset = 0;  // the first sample's byte position
  // The data chunk's declared size; nullopt when it says "until the end" (0 or 0xFFFFFFFF, written
  // by encoders that could not seek back to fill it in).
  std::optional<std::uint64_t> data_bytes;
};

// Reads from the reader's position (the file's first byte) up to the first sample. Throws
// media_error: malformed, truncated, limit_exceeded, unsupported_format (RIFX), or from the fmt chunk.
wav_layout read_wav_header(byte_reader& reader);

}  // namespace spence::engine
