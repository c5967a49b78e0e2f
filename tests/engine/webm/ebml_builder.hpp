#pragma once
// Writes EBML by hand for the tests: crafted Matroska structures (lying sizes, deep nesting,
// lacing the tools do not produce, unknown tracks) around real Opus packets.

#include <bit>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string_view>
#include <vector>

namespace spence::test::ebml {

using bytes = std::vector<std::uint8_t>;

inline bytes cat(std::initializer_list<std::span<const std::uint8_t>> parts) {
  bytes out;
  for (const auto part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

inline bytes id(std::uint32_t value) {
  bytes out;
  for (int shift = 24; shift >= 0; shift -= 8)
    if (value >> shift != 0) out.push_back(static_cast<std::uint8_t>(value >> shift));
  return out;
}

// A VINT of the given length (the shortest that fits when length is 0).
inline bytes vint(std::uint64_t value, std::size_t length = 0) {
  if (length == 0) {
    length = 1;
    while (length < 8 && value >= (std::uint64_t{1} << (7 * length)) - 1) ++length;
  }
  bytes out(length);
  const std::uint64_t marked = value | std::uint64_t{1} << (7 * length);
  for (std::size_t i = 0; i < length; ++i) out[i] = static_cast<std::uint8_t>(marked >> (8 * (length - 1 - i)));
  return out;
}

inline const bytes unknown_size{0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF};

inline bytes element(std::uint32_t element_id, std::span<const std::uint8_t> payload) {
  return cat({id(element_id), vint(payload.size()), payload});
}

// A header announcing `size` bytes whatever follows: for lying sizes.
inline bytes header(std::uint32_t element_id, std::uint64_t size) { return cat({id(element_id), vint(size)}); }

inline bytes unknown_size_header(std::uint32_t element_id) { return cat({id(element_id), unknown_size}); }

inline bytes uint_element(std::uint32_t element_id, std::uint64_t value) {
  bytes payload;
  for (int shift = 56; shift >= 0; shift -= 8)
    if (value >> shift != 0 || !payload.empty() || shift == 0) payload.push_back(static_cast<std::uint8_t>(value >> shift));
  return element(element_id, payload);
}

inline bytes float_element(std::uint32_t element_id, double value) {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  bytes payload(8);
  for (int i = 0; i < 8; ++i) payload[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
  return element(element_id, payload);
}

inline bytes string_element(std::uint32_t element_id, std::string_view text) {
  return element(element_id, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

inline bytes master(std::uint32_t element_id, std::initializer_list<std::span<const std::uint8_t>> children) {
  return element(element_id, cat(children));
}

// inner wrapped in `depth` elements of one ID, each inside the next (built without copying the
// whole every level).
inline bytes nested(std::uint32_t element_id, int depth, std::span<const std::uint8_t> inner) {
  std::vector<bytes> headers;
  std::uint64_t size = inner.size();
  for (int i = 0; i < depth; ++i) {
    headers.push_back(header(element_id, size));
    size += headers.back().size();
  }
  bytes out;
  out.reserve(static_cast<std::size_t>(size));
  for (auto it = headers.rbegin(); it != headers.rend(); ++it) out.insert(out.end(), it->begin(), it->end());
  out.insert(out.end(), inner.begin(), inner.end());
  return out;
}

// A block payload: track, relative timestamp, flags (lacing in bits 1-2) and what follows.
inline bytes block_payload(std::uint64_t track, std::int16_t relative, std::uint8_t flags, std::span<const std::uint8_t> rest) {
  const auto t = static_cast<std::uint16_t>(relative);
  return cat({vint(track), bytes{static_cast<std::uint8_t>(t >> 8), static_cast<std::uint8_t>(t & 0xFF), flags}, rest});
}

}  // namespace spence::test::ebml
