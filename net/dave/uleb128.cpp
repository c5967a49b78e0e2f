#include "net/dave/uleb128.hpp"

namespace spence::net::dave {

std::size_t uleb128_size(std::uint64_t value) noexcept {
  std::size_t size = 1;
  for (; value >= 0x80; value >>= 7) ++size;
  return size;
}

std::size_t write_uleb128(std::uint64_t value, std::uint8_t* out) noexcept {
  std::size_t size = 0;
  for (; value >= 0x80; value >>= 7) out[size++] = static_cast<std::uint8_t>(0x80 | (value & 0x7f));
  out[size++] = static_cast<std::uint8_t>(value);
  return size;
}

void write_uleb128(std::uint64_t value, mls::bytes& out) {
  const std::size_t at = out.size();
  out.resize(at + uleb128_size(value));
  write_uleb128(value, out.data() + at);
}

std::optional<std::uint64_t> read_uleb128(mls::bytes_view& in) noexcept {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const std::uint64_t group = in[i] & 0x7f;
    const unsigned shift = static_cast<unsigned>(7 * i);
    // The tenth byte holds bit 63 only; anything above it, or an eleventh byte, overflows.
    if (shift >= 64 || (shift == 63 && group > 1)) return std::nullopt;
    value |= group << shift;
    if ((in[i] & 0x80) == 0) {
      in = in.subspan(i + 1);
      return value;
    }
  }
  return std::nullopt;  // ran off the end inside the value
}

}  // namespace spence::net::dave
