#include "net/http/http_response_head.hpp"

#include "engine/media_error.hpp"

#include <limits>

namespace spence::net {
namespace {

using engine::media_errc;

constexpr std::string_view content_length_name = "Content-Length";
constexpr std::string_view content_range_name = "Content-Range";
constexpr std::string_view accept_ranges_name = "Accept-Ranges";
constexpr std::string_view icy_metaint_name = "icy-metaint";
constexpr std::size_t max_icy_name = 256;

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

std::string_view trim(std::string_view s) noexcept {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// 1*DIGIT that fits in 64 bits.
std::optional<std::uint64_t> parse_decimal(std::string_view digits) noexcept {
  if (digits.empty()) return std::nullopt;
  std::uint64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    const auto digit = static_cast<std::uint64_t>(c - '0');
    if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
    value = value * 10 + digit;
  }
  return value;
}

}  // namespace

boost::system::result<std::uint64_t> parse_content_length(std::string_view value) {
  if (auto n = parse_decimal(trim(value))) return *n;
  return make_error_code(media_errc::malformed);
}

boost::system::result<content_range> parse_content_range(std::string_view value) {
  value = trim(value);
  const std::size_t space = value.find(' ');
  if (space == std::string_view::npos || !iequals(value.substr(0, space), "bytes"))
    return make_error_code(media_errc::malformed);
  const std::string_view spec = trim(value.substr(space + 1));
  const std::size_t dash = spec.find('-');
  const std::size_t slash = spec.find('/');
  if (dash == std::string_view::npos || slash == std::string_view::npos || dash > slash)
    return make_error_code(media_errc::malformed);
  const auto first = parse_decimal(spec.substr(0, dash));
  const auto last = parse_decimal(spec.substr(dash + 1, slash - dash - 1));
  if (!first || !last || *first > *last) return make_error_code(media_errc::malformed);
  content_range range{*first, *last, std::nullopt};
  const std::string_view complete = spec.substr(slash + 1);
  if (complete != "*") {
    range.complete_length = parse_decimal(complete);
    if (!range.complete_length || *range.complete_length <= *last) return make_error_code(media_errc::malformed);
  }
  return range;
}

std::string media_type_of(std::string_view content_type) {
  const std::string_view type = trim(content_type.substr(0, content_type.find(';')));
  const std::size_t slash = type.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == type.size()) return {};
  std::string out(type);
  for (char& c : out) c = lower(c);
  return out;
}

bool names_byte_ranges(std::string_view accept_ranges) {
  while (!accept_ranges.empty()) {
    const std::size_t comma = accept_ranges.find(',');
    if (iequals(trim(accept_ranges.substr(0, comma)), "bytes")) return true;
    if (comma == std::string_view::npos) break;
    accept_ranges.remove_prefix(comma + 1);
  }
  return false;
}

void http_response_head::add_line(std::string_view line) {
  if (line.starts_with("HTTP/")) {
    *this = http_response_head{};
    return;
  }
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return;  // the blank line ending the head, or noise
  const std::string_view name = line.substr(0, colon);
  const std::string_view value = line.substr(colon + 1);
  const auto mark_malformed = [this](std::string_view header) {
    if (malformed_header_.empty()) malformed_header_ = header;
  };
  if (iequals(name, content_length_name)) {
    const auto length = parse_content_length(value);
    // Repeated Content-Length fields must agree (RFC 9110, 8.6): otherwise the body's end is unknown.
    if (!length || (content_length_ && *content_length_ != *length))
      mark_malformed(content_length_name);
    else
      content_length_ = *length;
  } else if (iequals(name, content_range_name)) {
    const auto range = parse_content_range(value);
    if (!range || (range_ && *range_ != *range))
      mark_malformed(content_range_name);
    else
      range_ = *range;
  } else if (iequals(name, accept_ranges_name)) {
    accepts_byte_ranges_ = accepts_byte_ranges_ || names_byte_ranges(value);
  } else if (iequals(name, "Content-Type")) {
    body_.media_type = media_type_of(value);
  } else if (iequals(name, icy_metaint_name)) {
    // A wrong interval would splice metadata into the audio: refuse rather than guess.
    const auto interval = parse_decimal(trim(value));
    if (!interval || *interval == 0 || (body_.icy_metaint && *body_.icy_metaint != *interval))
      mark_malformed(icy_metaint_name);
    else
      body_.icy_metaint = *interval;
  } else if (iequals(name, "icy-name")) {
    body_.icy_name = std::string(trim(value).substr(0, max_icy_name));
  }
}

}  // namespace spence::net
