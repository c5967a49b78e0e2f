#include "net/lavalink/base64.hpp"

#include <array>

namespace spence::net::lavalink {
namespace {

constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t not_base64 = 0xFF;

constexpr std::array<std::uint8_t, 256> make_values() {
  std::array<std::uint8_t, 256> values{};
  values.fill(not_base64);
  for (std::size_t i = 0; i < alphabet.size(); ++i) values[static_cast<unsigned char>(alphabet[i])] = static_cast<std::uint8_t>(i);
  return values;
}
constexpr auto values = make_values();

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t group = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
    for (int shift = 18; shift >= 0; shift -= 6) out += alphabet[(group >> shift) & 0x3F];
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    std::uint32_t group = std::uint32_t{bytes[i]} << 16;
    if (rest == 2) group |= std::uint32_t{bytes[i + 1]} << 8;
    out += alphabet[(group >> 18) & 0x3F];
    out += alphabet[(group >> 12) & 0x3F];
    out += rest == 2 ? alphabet[(group >> 6) & 0x3F] : '=';
    out += '=';
  }
  return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
  std::size_t padding = 0;
  if (text.ends_with("==")) padding = 2;
  else if (text.ends_with('=')) padding = 1;
  const std::string_view digits = text.substr(0, text.size() - padding);
  // Padding completes the last group: "xx==" or "xxx=". Without it, one final digit cannot hold a byte.
  if (padding > 0 ? digits.size() % 4 != 4 - padding : digits.size() % 4 == 1) return std::nullopt;

  std::vector<std::uint8_t> out;
  out.reserve(digits.size() / 4 * 3 + 2);
  std::uint32_t group = 0;
  int held = 0;
  for (const char c : digits) {
    const std::uint8_t value = values[static_cast<unsigned char>(c)];
    if (value == not_base64) return std::nullopt;  // includes a '=' before the end
    group = (group << 6) | value;
    if (++held == 4) {
      out.push_back(static_cast<std::uint8_t>(group >> 16));
      out.push_back(static_cast<std::uint8_t>(group >> 8));
      out.push_back(static_cast<std::uint8_t>(group));
      group = 0;
      held = 0;
    }
  }
  // A final group of 2 or 3 digits holds 1 or 2 bytes; its unused low bits are ignored, as Java does.
  if (held == 2) {
    out.push_back(static_cast<std::uint8_t>(group >> 4));
  } else if (held == 3) {
    out.push_back(static_cast<std::uint8_t>(group >> 10));
    out.push_back(static_cast<std::uint8_t>(group >> 2));
  }
  return out;
}

}  // namespace spence::net::lavalink
