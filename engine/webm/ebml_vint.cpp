#include "engine/webm/ebml_vint.hpp"

#include <bit>

namespace spence::engine {

std::size_t ebml_vint_length(std::uint8_t first) noexcept {
  return first == 0 ? 0 : static_cast<std::size_t>(std::countl_zero(first)) + 1;
}

std::optional<ebml_vint> decode_ebml_vint(std::span<const std::uint8_t> bytes) noexcept {
  if (bytes.empty()) return std::nullopt;
  const std::size_t length = ebml_vint_length(bytes[0]);
  if (length == 0 || bytes.size() < length) return std::nullopt;
  const std::uint64_t marker = std::uint64_t{1} << (7 * length);
  const std::uint64_t value = decode_big_endian(bytes.first(length)) & (marker - 1);
  return ebml_vint{value, length, value == marker - 1};
}

std::uint64_t decode_big_endian(std::span<const std::uint8_t> bytes) noexcept {
  std::uint64_t value = 0;
  for (const std::uint8_t b : bytes) value = value << 8 | b;
  return value;
}

}  // namespace spence::engine
