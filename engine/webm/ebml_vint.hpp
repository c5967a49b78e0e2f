#pragma once
// EBML variable-size integers (RFC 8794 section 4): element IDs, element data sizes, and the
// track numbers and lace sizes inside Matroska blocks all use this encoding.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

// Bytes a VINT occupies, from its first byte: one plus the leading zero bits. 0 when the first
// byte is 0, which would announce more than 8 bytes (invalid in Matroska).
std::size_t ebml_vint_length(std::uint8_t first) noexcept;

struct ebml_vint {
  std::uint64_t value = 0;  // with the length marker removed
  std::size_t length = 0;   // bytes, 1-8
  bool all_ones = false;    // every value bit set: the "unknown size" marker in element sizes
};

// Decodes the VINT at the start of bytes. nullopt when the first byte is 0 (invalid) or bytes
// are shorter than the length the first byte announces; check ebml_vint_length to tell apart.
std::optional<ebml_vint> decode_ebml_vint(std::span<const std::uint8_t> bytes) noexcept;

// A big-endian unsigned integer of at most 8 bytes (EBML uinteger payloads, element IDs with
// their marker bits kept). An empty span is 0 (RFC 8794: a zero-length integer element is 0).
std::uint64_t decode_big_endian(std::span<const std::uint8_t> bytes) noexcept;

}  // namespace spence::engine
