#pragma once
// Discord's IDs (snowflakes) as its gateways send them: decimal strings of a 64-bit number.

#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>

namespace spence::net {

// The ID, or nullopt for anything but 1 to 20 decimal digits within 64 bits.
inline std::optional<std::uint64_t> parse_snowflake(std::string_view text) {
  std::uint64_t id = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return id;
}

}  // namespace spence::net
