#pragma once
// Hand-built RIFF/WAVE bytes for the tests that need a header to say something precise (or wrong).

#include <cstdint>
#include <cstring>
#include <optional>
#include <vector>

namespace spence::test {

using bytes = std::vector<std::uint8_t>;

inline void put16(bytes& b, std::uint32_t v) {
  b.push_back(v & 0xFF);
  b.push_back((v >> 8) & 0xFF);
}
inline void put32(bytes& b, std::uint32_t v) {
  put16(b, v & 0xFFFF);
  put16(b, v >> 16);
}

// A chunk: id, size (the body's unless `declared` says otherwise), body, and the pad byte after an
// odd-sized body.
inline bytes chunk(const char (&id)[5], const bytes& body, std::optional<std::uint32_t> declared = std::nullopt) {
  bytes b(id, id + 4);
  put32(b, declared.value_or(static_cast<std::uint32_t>(body.size())));
  b.insert(b.end(), body.begin(), body.end());
  if (body.size() % 2) b.push_back(0);
  return b;
}

// A 16-byte fmt body; block_align defaults to the consistent value.
inline bytes fmt_body(std::uint16_t tag, std::uint16_t channels, std::uint32_t rate, std::uint16_t bits,
                      std::optional<std::uint16_t> block_align = std::nullopt) {
  const std::uint16_t align = block_align.value_or(static_cast<std::uint16_t>(channels * ((bits + 7) / 8)));
  bytes b;
  put16(b, tag);
  put16(b, channels);
  put32(b, rate);
  put32(b, rate * align);
  put16(b, align);
  put16(b, bits);
  return b;
}

// A 40-byte WAVE_FORMAT_EXTENSIBLE body with the standard sub-format GUID for `subformat`.
inline bytes extensible_body(std::uint16_t subformat, std::uint16_t channels, std::uint32_t rate, std::uint16_t bits,
                             std::uint16_t valid_bits, std::uint16_t cb_size = 22) {
  bytes b = fmt_body(0xFFFE, channels, rate, bits);
  put16(b, cb_size);
  put16(b, valid_bits);
  put32(b, 0);  // channel mask
  put16(b, subformat);
  for (const std::uint8_t g : {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71})
    b.push_back(g);
  return b;
}

// "RIFF" size "WAVE" and the chunks; the RIFF size is the true one unless `declared` says otherwise.
inline bytes riff(const std::vector<bytes>& chunks, std::optional<std::uint32_t> declared = std::nullopt) {
  bytes body{'W', 'A', 'V', 'E'};
  for (const bytes& c : chunks) body.insert(body.end(), c.begin(), c.end());
  bytes b{'R', 'I', 'F', 'F'};
  put32(b, declared.value_or(static_cast<std::uint32_t>(body.size())));
  b.insert(b.end(), body.begin(), body.end());
  return b;
}

// Little-endian 16-bit samples as bytes.
inline bytes s16(std::initializer_list<std::int16_t> samples) {
  bytes b;
  for (const std::int16_t s : samples) put16(b, static_cast<std::uint16_t>(s));
  return b;
}

}  // namespace spence::test
