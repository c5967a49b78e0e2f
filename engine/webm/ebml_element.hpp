#pragma once
// An EBML element header (RFC 8794 section 6-8): the ID, where the element starts, and how many
// payload bytes follow, which Segment and Cluster may leave unknown when written live.

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace spence::engine {

struct ebml_element {
  std::uint32_t id = 0;               // with the length-marker bits, as written
  std::uint64_t start = 0;            // stream offset of the ID's first byte
  std::uint64_t body_start = 0;       // stream offset of the first payload byte
  std::optional<std::uint64_t> size;  // payload bytes; nullopt for the unknown-size marker

  std::optional<std::uint64_t> end() const {
    return size ? std::optional<std::uint64_t>(body_start + *size) : std::nullopt;
  }
};

// The longest header: a 4-byte ID (Matroska's EBMLMaxIDLength) and an 8-byte size.
inline constexpr std::size_t max_ebml_header_length = 12;

// Decodes the header at the start of bytes, which sit at stream offset `offset`. Throws
// media_error naming source: malformed for an ID longer than 4 bytes or a size longer than 8,
// truncated when bytes end inside the header.
ebml_element decode_ebml_element(std::span<const std::uint8_t> bytes, std::uint64_t offset, std::string_view source);

}  // namespace spence::engine
