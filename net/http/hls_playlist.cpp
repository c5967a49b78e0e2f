#include "net/http/hls_playlist.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace spence::net {
namespace {

constexpr std::size_t max_line_bytes = 8 * 1024;

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

std::optional<std::uint64_t> to_integer(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// A non-negative finite decimal.
std::optional<double> to_decimal(std::string_view text) {
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value) || value < 0) return std::nullopt;
  return value;
}

// The value of `name` in an attribute list (NAME=value,NAME="quoted, value",...), without quotes.
std::optional<std::string_view> attribute(std::string_view list, std::string_view name) {
  while (!list.empty()) {
    const std::size_t equals = list.find('=');
    if (equals == std::string_view::npos) return std::nullopt;
    const std::string_view key = trim(list.substr(0, equals));
    list.remove_prefix(equals + 1);
    std::string_view value;
    if (list.starts_with('"')) {
      const std::size_t close = list.find('"', 1);
      if (close == std::string_view::npos) return std::nullopt;
      value = list.substr(1, close - 1);
      list.remove_prefix(close + 1);
    } else {
      value = trim(list.substr(0, list.find(',')));
      list.remove_prefix(std::min(list.size(), list.find(',')));
    }
    if (key == name) return value;
    if (list.starts_with(',')) list.remove_prefix(1);
  }
  return std::nullopt;
}

url_result resolve_against(std::string_view reference,
                                                                const boost::urls::url_view& base) {
  const auto ref = boost::urls::parse_uri_reference(reference);
  const auto refuse = [](const char* why) { return url_result(boost::system::in_place_error, why); };
  if (!ref) return refuse("a URI that does not parse");
  boost::urls::url out;
  if (auto resolved = boost::urls::resolve(base, *ref, out); !resolved) return refuse("a URI that does not resolve");
  if (out.scheme() != "http" && out.scheme() != "https") return refuse("a URI that is not http(s)");
  if (!out.has_authority() || out.host().empty()) return refuse("a URI without a host");
  return url_result(boost::system::in_place_value, out.buffer());
}

class parser {
 public:
  explicit parser(const boost::urls::url_view& base) : base_(base) {}

  boost::system::result<void, std::string> line(std::string_view text, std::size_t number) {
    const auto fail = [number](std::string_view why) { return fmt::format("line {}: {}", number, why); };
    if (text.size() > max_line_bytes) return fail("longer than 8 KiB");
    if (text.empty()) return {};
    if (!text.starts_with('#')) return uri_line(text, fail);
    const std::size_t colon = text.find(':');
    const std::string_view tag = text.substr(0, colon);
    const std::string_view value = colon == std::string_view::npos ? std::string_view() : text.substr(colon + 1);
    if (tag == "#EXTINF") {
      const auto duration = to_decimal(trim(value.substr(0, value.find(','))));
      if (!duration) return fail("EXTINF without a duration");
      pending_duration_ = *duration;
    } else if (tag == "#EXT-X-STREAM-INF") {
      const auto bandwidth = attribute(value, "BANDWIDTH");
      const auto number_value = bandwidth ? to_integer(*bandwidth) : std::nullopt;
      if (!number_value) return fail("EXT-X-STREAM-INF without a BANDWIDTH");
      pending_variant_ = hls_variant{{}, *number_value, std::string(attribute(value, "CODECS").value_or(""))};
      out.master = true;
    } else if (tag == "#EXT-X-TARGETDURATION") {
      const auto seconds = to_decimal(trim(value));
      if (!seconds) return fail("EXT-X-TARGETDURATION is not a number");
      out.target_duration_s = *seconds;
    } else if (tag == "#EXT-X-MEDIA-SEQUENCE") {
      const auto sequence = to_integer(trim(value));
      if (!sequence || !out.segments.empty()) return fail("EXT-X-MEDIA-SEQUENCE is not a number before the segments");
      out.media_sequence = *sequence;
    } else if (tag == "#EXT-X-ENDLIST") {
      out.ended = true;
    } else if (tag == "#EXT-X-KEY") {
      const auto method = attribute(value, "METHOD");
      if (!method) return fail("EXT-X-KEY without a METHOD");
      if (*method != "NONE" && out.key_method.empty()) out.key_method = std::string(*method);
    } else if (tag == "#EXT-X-MAP") {
      out.has_map = true;
    }
    return {};  // other tags (and comments) do not change what spence plays
  }

  hls_parse_result finish() && {
    if (out.master && !out.segments.empty()) return std::string("both variants and segments: not one playlist");
    if (out.master && out.variants.empty()) return std::string("a master playlist without a variant URI");
    if (!out.master && out.target_duration_s <= 0) return std::string("a media playlist without EXT-X-TARGETDURATION");
    return std::move(out);
  }

  hls_playlist out;

 private:
  template <class Fail>
  boost::system::result<void, std::string> uri_line(std::string_view text, const Fail& fail) {
    auto uri = resolve_against(trim(text), base_);
    if (!uri) return fail(uri.error());
    if (out.variants.size() + out.segments.size() >= max_hls_entries)
      return fail(fmt::format("more than {} entries", max_hls_entries));
    if (pending_variant_) {
      pending_variant_->uri = std::move(*uri);
      out.variants.push_back(std::move(*pending_variant_));
      pending_variant_.reset();
    } else if (pending_duration_) {
      out.segments.push_back({std::move(*uri), *pending_duration_, out.media_sequence + out.segments.size()});
      pending_duration_.reset();
    } else {
      return fail("a URI without EXTINF or EXT-X-STREAM-INF before it");
    }
    return {};
  }

  boost::urls::url_view base_;
  std::optional<double> pending_duration_;
  std::optional<hls_variant> pending_variant_;
};

}  // namespace

url_result resolve_http_reference(std::string_view reference, std::string_view base_url) {
  const auto base = boost::urls::parse_uri(base_url);
  if (!base) return url_result(boost::system::in_place_error, "a base URL that does not parse");
  return resolve_against(reference, *base);
}

bool hls_variant::audio_only() const {
  if (codecs.empty()) return false;
  static constexpr std::string_view video[] = {"avc1", "avc3", "hvc1", "hev1", "vp08", "vp09", "vp8", "vp9", "av01", "dvh1", "dvhe"};
  std::string_view rest = codecs;
  while (!rest.empty()) {
    const std::string_view codec = trim(rest.substr(0, rest.find(',')));
    for (const auto v : video)
      if (codec.starts_with(v)) return false;
    rest.remove_prefix(std::min(rest.size(), rest.find(',') == std::string_view::npos ? rest.size() : rest.find(',') + 1));
  }
  return true;
}

hls_parse_result parse_hls_playlist(std::string_view text, std::string_view base_url) {
  const auto base = boost::urls::parse_uri(base_url);
  if (!base) return std::string("the playlist's own URL does not parse");
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a UTF-8 byte order mark
  parser p(*base);
  std::size_t number = 0;
  bool headed = false;
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view line = trim(text.substr(at, end - at));
    at = end + 1;
    if (++number == 1) {
      headed = line == "#EXTM3U";
      if (!headed) break;
      continue;
    }
    if (auto ok = p.line(line, number); !ok) return ok.error();
  }
  if (!headed) return std::string("not an HLS playlist: no #EXTM3U first line");
  return std::move(p).finish();
}

const hls_variant* choose_variant(const hls_playlist& master) {
  const hls_variant* best = nullptr;
  for (const auto& v : master.variants) {
    if (best == nullptr) {
      best = &v;
      continue;
    }
    const bool better_kind = v.audio_only() && !best->audio_only();
    const bool same_kind = v.audio_only() == best->audio_only();
    if (better_kind || (same_kind && v.bandwidth < best->bandwidth)) best = &v;
  }
  return best;
}

}  // namespace spence::net
