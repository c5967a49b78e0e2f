#include "tests/resolvers/soundcloud_fixture.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace spence::test {

namespace {

fixture_response status(unsigned code, std::string body = "{}") { return reply_with(code, std::move(body)); }
fixture_response text(std::string body, std::string type = "text/plain") { return reply_with(200, std::move(body), std::move(type)); }

constexpr std::size_t hls_segments = 4;

// The stream as a VOD media playlist of hls_segments relative URIs (RFC 8216's form, as
// SoundCloud's HLS playlists are), its segments the stream cut at arbitrary bytes.
std::string hls_playlist() {
  std::string text = "#EXTM3U\n#EXT-X-VERSION:6\n#EXT-X-PLAYLIST-TYPE:VOD\n#EXT-X-TARGETDURATION:1\n#EXT-X-MEDIA-SEQUENCE:0\n";
  for (std::size_t i = 0; i < hls_segments; ++i) text += fmt::format("#EXTINF:0.5,\nsegment-{}.mp3?Policy=fixture\n", i);
  return text + "#EXT-X-ENDLIST\n";
}

std::string hls_segment(const std::string& stream, std::size_t index) {
  const std::size_t piece = (stream.size() + hls_segments - 1) / hls_segments;
  return stream.substr(std::min(stream.size(), index * piece), piece);
}

}  // namespace

soundcloud_fixture::soundcloud_fixture() : server_([this](const fixture_request& r) { return answer(r); }) {}

fixture_response soundcloud_fixture::answer(const fixture_request& request) {
  const auto& path = request.path;
  auto query = request.query;
  const auto base = server_.base();
  const auto json = [&](const std::string& file) { return server_.json_file(SPENCE_SOUNDCLOUD_FIXTURES, file); };
  std::string accepted;
  {
    std::lock_guard lock(mutex_);
    accepted = client_id_;
  }
  if (path == "/")
    return text(fmt::format("<html><head><script crossorigin src=\"{}/assets/vendor.js\"></script>\n"
                            "<script crossorigin src=\"/assets/app.js\"></script></head><body></body></html>", base),
                "text/html");
  if (path == "/assets/vendor.js") return text("var vendor={client:\"not it\"};");
  if (path == "/assets/app.js")
    return text(fmt::format("webpackJsonp([1],{{a:function(e){{e.exports={{api:\"x\",client_id:\"{}\",app_version:1}}}}}});", accepted));
  if (path == "/stream/1.mp3") {
    std::lock_guard lock(mutex_);
    if (stream_.empty()) return status(404);
    return text(stream_, "audio/mpeg");
  }
  if (path == "/hls/5/playlist.m3u8") {
    std::lock_guard lock(mutex_);
    if (stream_.empty()) return status(404);
    return text(hls_playlist(), "application/vnd.apple.mpegurl");
  }
  if (path.starts_with("/hls/5/segment-")) {
    const std::string_view digits = std::string_view(path).substr(std::string_view("/hls/5/segment-").size());
    std::size_t index = hls_segments;
    std::from_chars(digits.data(), digits.data() + digits.size(), index);
    std::lock_guard lock(mutex_);
    if (stream_.empty() || index >= hls_segments) return status(404);
    return text(hls_segment(stream_, index), "audio/mpeg");
  }
  if (query["client_id"] != accepted) return status(401);
  if (path == "/resolve") {
    const auto& url = query["url"];
    const auto slug = url.substr(url.rfind('/') + 1);
    if (slug == "first-light") return json("track.json");
    if (slug == "preview") return json("preview.json");
    if (slug == "blocked") return json("blocked.json");
    if (slug == "hls-only") return json("hls_only.json");
    if (slug == "mix") return json("playlist.json");
    if (slug == "14") return json("track_14.json");  // the mirror's match, when it plays
    if (slug == "limited") {
      auto limited = status(429);
      limited.headers.emplace_back("Retry-After", "9");
      return limited;
    }
    if (slug == "garbage") return text("<html>maintenance</html>", "text/html");
    if (slug == "someone") return status(200, R"({"kind":"user","id":10,"username":"x"})");
    return status(404);
  }
  if (path == "/tracks" && query["ids"] == "3") return json("tracks_3.json");
  if (path == "/search/tracks") {
    if (query["q"].starts_with("lofi")) return json("search.json");
    if (query["q"].starts_with("Midnight Drive")) return json("search_mirror.json");
    if (query["q"] == "QZFZ12400001") return json("search_isrc.json");
    return status(200, R"({"collection":[],"total_results":0})");
  }
  if (path.starts_with("/media/soundcloud:tracks:") && path.ends_with("/stream/hls"))
    return status(200, fmt::format(R"({{"url":"{}/hls/5/playlist.m3u8?Policy=fixture"}})", base));
  if (path.starts_with("/media/soundcloud:tracks:") && path.ends_with("/stream/progressive"))
    return status(200, fmt::format(R"({{"url":"{}/stream/1.mp3?Policy=fixture"}})", base));
  return status(404);
}

void soundcloud_fixture::rotate_client_id(std::string id) {
  std::lock_guard lock(mutex_);
  client_id_ = std::move(id);
}

void soundcloud_fixture::set_stream(std::vector<std::uint8_t> media) {
  std::lock_guard lock(mutex_);
  stream_.assign(media.begin(), media.end());
}

}  // namespace spence::test
