#pragma once
// ULEB128 (unsigned little-endian base 128), the variable-length integers in a DAVE frame's
// supplemental data (the truncated nonce, the unencrypted ranges): seven bits a byte, least
// significant group first, the top bit set on every byte but the last.
//
// Frames come from the network, so reading is bounded: it never looks past its input, and a value
// that runs off the end or does not fit 64 bits is refused rather than guessed.

#include "net/dave/mls/bytes.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace spence::net::dave {

// How many bytes write_uleb128 takes for `value` (1 to 10).
std::size_t uleb128_size(std::uint64_t value) noexcept;
// Appends `value` in its shortest form.
void write_uleb128(std::uint64_t value, mls::bytes& out);
// Writes `value` in its shortest form at `out`, which has room for uleb128_size(value) bytes;
// returns the bytes written.
std::size_t write_uleb128(std::uint64_t value, std::uint8_t* out) noexcept;
// Reads one value from the front of `in` and moves `in` past it. nullopt, with `in` unchanged,
// when the input ends inside the value or the value needs more than 64 bits. A value written in
// more bytes than it needs (trailing zero groups) is read as its value, as the reference readers do.
std::optional<std::uint64_t> read_uleb128(mls::bytes_view& in) noexcept;

}  // namespace spence::net::dave
