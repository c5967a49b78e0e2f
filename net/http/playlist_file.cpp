#include "net/http/playlist_file.hpp"

#include "net/http/hls_playlist.hpp"

#include <charconv>
#include <optional>

namespace spence::net {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool iequals_prefix(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(text[i])) != std::tolower(static_cast<unsigned char>(prefix[i]))) return false;
  return true;
}

template <class Line>
void for_each_line(std::string_view text, Line&& line) {
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    if (!line(trim(text.substr(at, end - at)))) return;
    at = end + 1;
  }
}

}  // namespace

playlist_entry first_pls_entry(std::string_view text, std::string_view base_url) {
  std::optional<std::uint64_t> best_number;
  std::string_view best;
  bool headed = false;
  for_each_line(text, [&](std::string_view line) {
    if (line.empty() || line.starts_with(';') || line.starts_with('#')) return true;
    if (!headed) {
      headed = iequals_prefix(line, "[playlist]");
      return headed;
    }
    if (!iequals_prefix(line, "file")) return true;
    const std::size_t equals = line.find('=');
    if (equals == std::string_view::npos) return true;
    const std::string_view digits = trim(line.substr(4, equals - 4));
    std::uint64_t number = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
    if (ec != std::errc() || end != digits.data() + digits.size()) return true;
    if (!best_number || number < *best_number) {
      best_number = number;
      best = trim(line.substr(equals + 1));
    }
    return true;
  });
  if (!headed) return playlist_entry(boost::system::in_place_error, "not a PLS playlist: no [playlist] section");
  if (!best_number || best.empty()) return playlist_entry(boost::system::in_place_error, "a PLS playlist without a FileN entry");
  return resolve_http_reference(best, base_url);
}

playlist_entry first_m3u_entry(std::string_view text, std::string_view base_url) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  std::string_view first;
  for_each_line(text, [&](std::string_view line) {
    if (line.empty() || line.starts_with('#')) return true;
    first = line;
    return false;
  });
  if (first.empty()) return playlist_entry(boost::system::in_place_error, "an M3U playlist without an entry");
  return resolve_http_reference(first, base_url);
}

}  // namespace spence::net
