#include "net/lavalink/modified_utf8.hpp"

#include "net/lavalink/track_codec_error.hpp"

#include <optional>

namespace spence::net::lavalink {
namespace {

bool is_continuation(std::uint8_t b) { return (b & 0xC0) == 0x80; }
bool is_high_surrogate(std::uint32_t u) { return u >= 0xD800 && u <= 0xDBFF; }
bool is_low_surrogate(std::uint32_t u) { return u >= 0xDC00 && u <= 0xDFFF; }

// The next code point of strict UTF-8 at `at` (advanced past it), or nullopt.
std::optional<std::uint32_t> next_code_point(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<std::uint8_t>(text[i]); };
  const std::uint8_t lead = byte(at);
  std::size_t length;
  std::uint32_t cp;
  std::uint32_t min;
  if (lead < 0x80) {
    ++at;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    length = 2, cp = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, cp = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, cp = lead & 0x07, min = 0x10000;
  } else {
    return std::nullopt;
  }
  if (text.size() - at < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(byte(at + i))) return std::nullopt;
    cp = (cp << 6) | (byte(at + i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  at += length;
  return cp;
}

// One UTF-16 code unit as Java writes it: 1 byte for U+0001-U+007F, 2 up to U+07FF (and U+0000),
// 3 above.
void append_unit(std::uint32_t unit, std::vector<std::uint8_t>& out) {
  if (unit >= 0x01 && unit <= 0x7F) {
    out.push_back(static_cast<std::uint8_t>(unit));
  } else if (unit <= 0x7FF) {
    out.push_back(static_cast<std::uint8_t>(0xC0 | (unit >> 6)));
    out.push_back(static_cast<std::uint8_t>(0x80 | (unit & 0x3F)));
  } else {
    out.push_back(static_cast<std::uint8_t>(0xE0 | (unit >> 12)));
    out.push_back(static_cast<std::uint8_t>(0x80 | ((unit >> 6) & 0x3F)));
    out.push_back(static_cast<std::uint8_t>(0x80 | (unit & 0x3F)));
  }
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The next UTF-16 code unit of modified UTF-8 at `at` (advanced past it), or nullopt: the forms
// Java's readUTF accepts (it does not check for overlong ones).
std::optional<std::uint32_t> next_unit(std::span<const std::uint8_t> bytes, std::size_t& at) {
  const std::uint8_t lead = bytes[at];
  if (lead < 0x80) {
    ++at;
    return lead;
  }
  std::size_t length;
  std::uint32_t unit;
  if ((lead & 0xE0) == 0xC0) {
    length = 2, unit = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, unit = lead & 0x0F;
  } else {
    return std::nullopt;  // a continuation byte first, or a 4-byte UTF-8 lead Java does not know
  }
  if (bytes.size() - at < length) return std::nullopt;
  for (std::size_t i = 1; i < length; ++i) {
    if (!is_continuation(bytes[at + i])) return std::nullopt;
    unit = (unit << 6) | (bytes[at + i] & 0x3F);
  }
  at += length;
  return unit;
}

}  // namespace

boost::system::result<void> append_modified_utf8(std::string_view utf8, std::vector<std::uint8_t>& out) {
  const std::size_t start = out.size();
  for (std::size_t at = 0; at < utf8.size();) {
    const auto cp = next_code_point(utf8, at);
    if (!cp) {
      out.resize(start);
      return make_error_code(track_codec_errc::bad_utf8);
    }
    if (*cp >= 0x10000) {
      const std::uint32_t offset = *cp - 0x10000;
      append_unit(0xD800 | (offset >> 10), out);
      append_unit(0xDC00 | (offset & 0x3FF), out);
    } else {
      append_unit(*cp, out);
    }
  }
  return {};
}

boost::system::result<std::string> modified_utf8_to_utf8(std::span<const std::uint8_t> bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (std::size_t at = 0; at < bytes.size();) {
    const auto unit = next_unit(bytes, at);
    if (!unit || is_low_surrogate(*unit)) return make_error_code(track_codec_errc::bad_utf8);
    if (!is_high_surrogate(*unit)) {
      append_utf8(*unit, out);
      continue;
    }
    const auto low = at < bytes.size() ? next_unit(bytes, at) : std::nullopt;
    if (!low || !is_low_surrogate(*low)) return make_error_code(track_codec_errc::bad_utf8);
    append_utf8(0x10000 + (((*unit - 0xD800) << 10) | (*low - 0xDC00)), out);
  }
  return out;
}

}  // namespace spence::net::lavalink
