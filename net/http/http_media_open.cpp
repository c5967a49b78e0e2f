#include "net/http/http_media_open.hpp"

#include "engine/media_error.hpp"
#include "net/http/hls_playlist.hpp"
#include "net/http/hls_source.hpp"
#include "net/http/http_fetch.hpp"
#include "net/http/http_source.hpp"
#include "net/http/playlist_file.hpp"
#include "net/http/sniffed_source.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace spence::net {
namespace {

using engine::media_errc;
using engine::media_error;

constexpr std::size_t max_playlist_bytes = 1 << 20;
constexpr int max_depth = 3;
constexpr std::size_t sniff_bytes = 16;

enum class body_kind { media, m3u, pls, page, unknown };

body_kind kind_of_type(const std::string& type) {
  static constexpr std::array m3u_types = {"application/vnd.apple.mpegurl", "application/x-mpegurl", "audio/mpegurl",
                                           "audio/x-mpegurl"};
  if (std::find(m3u_types.begin(), m3u_types.end(), type) != m3u_types.end()) return body_kind::m3u;
  if (type == "audio/x-scpls") return body_kind::pls;
  if (type == "text/html" || type == "application/xhtml+xml") return body_kind::page;
  if (type.starts_with("audio/") || type.starts_with("video/") || type == "application/ogg") return body_kind::media;
  return body_kind::unknown;
}

body_kind kind_of_bytes(std::string_view start) {
  if (start.starts_with("\xEF\xBB\xBF")) start.remove_prefix(3);
  if (start.starts_with("#EXTM3U")) return body_kind::m3u;
  if (start.size() >= 10 && std::equal(start.begin(), start.begin() + 10, "[playlist]", [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
      }))
    return body_kind::pls;
  return body_kind::media;
}

// Up to `limit` bytes, fewer only at the end of the source.
std::vector<std::uint8_t> read_up_to(engine::byte_source& source, std::size_t limit) {
  std::vector<std::uint8_t> out(limit);
  std::size_t got = 0;
  while (got < limit) {
    const std::size_t n = source.read(std::span(out).subspan(got));
    if (n == 0) break;
    got += n;
  }
  out.resize(got);
  return out;
}

std::string read_playlist(std::vector<std::uint8_t> prefix, engine::byte_source& source) {
  auto rest = read_up_to(source, max_playlist_bytes + 1 - prefix.size());
  prefix.insert(prefix.end(), rest.begin(), rest.end());
  if (prefix.size() > max_playlist_bytes)
    throw media_error(media_errc::limit_exceeded, source.name(), "a playlist larger than 1 MiB");
  return {prefix.begin(), prefix.end()};
}

std::unique_ptr<engine::byte_source> open_at_depth(http_client& client, const std::string& url,
                                                   const http_options& options, int depth);

std::unique_ptr<engine::byte_source> open_hls(http_client& client, std::string url, const std::string& text,
                                              const http_options& options, const std::string& name) {
  auto playlist = parse_hls_playlist(text, url);
  if (!playlist) throw media_error(media_errc::malformed, name, "HLS playlist: " + playlist.error());
  if (playlist->master) {
    const hls_variant* variant = choose_variant(*playlist);
    url = variant->uri;
    http_fetch_request request;
    request.url = url;
    request.max_body_bytes = max_playlist_bytes;
    request.timeout = options.stall_timeout;
    auto reply = fetch(client, request);
    if (!reply) throw media_error(media_errc::network, name, "HLS variant playlist: " + reply.error());
    if (reply->status != 200)
      throw media_error(name, fmt::format("HLS variant playlist: HTTP status {}", reply->status),
                        static_cast<int>(reply->status));
    if (!reply->final_url.empty()) url = reply->final_url;
    playlist = parse_hls_playlist(reply->body, url);
    if (!playlist) throw media_error(media_errc::malformed, name, "HLS variant playlist: " + playlist.error());
    if (playlist->master) throw media_error(media_errc::malformed, name, "HLS variant playlist is a master playlist");
  }
  return hls_source::open(client, url, std::move(*playlist), options);
}

std::unique_ptr<engine::byte_source> open_listed(http_client& client, const playlist_entry& entry,
                                                 const http_options& options, int depth, const std::string& name) {
  if (!entry) throw media_error(media_errc::malformed, name, entry.error());
  if (depth >= max_depth)
    throw media_error(media_errc::limit_exceeded, name, fmt::format("playlists nested more than {} deep", max_depth));
  return open_at_depth(client, *entry, options, depth + 1);
}

std::unique_ptr<engine::byte_source> open_at_depth(http_client& client, const std::string& url,
                                                   const http_options& options, int depth) {
  auto source = http_source::open(client, url, options);
  const body_description body = source->body();
  const std::string name = source->name();
  body_kind kind = kind_of_type(body.media_type);
  if (kind == body_kind::media) return source;
  if (kind == body_kind::page)
    throw media_error(media_errc::unsupported_format, name,
                      fmt::format("Unknown file format. (the server answered with a web page, {})", body.media_type));
  std::vector<std::uint8_t> prefix = read_up_to(*source, sniff_bytes);
  if (kind == body_kind::unknown) kind = kind_of_bytes({reinterpret_cast<const char*>(prefix.data()), prefix.size()});
  if (kind == body_kind::media) return std::make_unique<sniffed_source>(std::move(prefix), std::move(source));
  const std::string text = read_playlist(std::move(prefix), *source);
  const std::string& base = body.location.empty() ? url : body.location;
  if (kind == body_kind::pls) return open_listed(client, first_pls_entry(text, base), options, depth, name);
  if (text.find("#EXT-X-") != std::string::npos) return open_hls(client, base, text, options, name);
  return open_listed(client, first_m3u_entry(text, base), options, depth, name);
}

}  // namespace

std::unique_ptr<engine::byte_source> open_http_media(http_client& client, const std::string& url,
                                                     const http_options& options) {
  http_options asking = options;
  asking.request_headers.emplace_back("Icy-MetaData: 1");
  return open_at_depth(client, url, asking, 0);
}

}  // namespace spence::net
