// libFuzzer target for the playlists an HTTP URL may hold: the input as an HLS playlist, a PLS
// and an M3U file. Beyond "no crash": a parsed playlist is one kind (variants or segments), within
// the entry bound, with every URI absolute http(s), sequence numbers consecutive, and a chosen
// variant for every master playlist.

#include "net/http/hls_playlist.hpp"
#include "net/http/playlist_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

constexpr std::string_view base = "https://cdn.example/live/index.m3u8?token=1";

bool absolute_http(const std::string& uri) { return uri.starts_with("http://") || uri.starts_with("https://"); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (const auto playlist = spence::net::parse_hls_playlist(input, base)) {
    if (playlist->master == playlist->variants.empty()) std::abort();
    if (!playlist->segments.empty() && playlist->master) std::abort();
    if (playlist->variants.size() + playlist->segments.size() > spence::net::max_hls_entries) std::abort();
    for (const auto& v : playlist->variants)
      if (!absolute_http(v.uri)) std::abort();
    for (std::size_t i = 0; i < playlist->segments.size(); ++i) {
      const auto& s = playlist->segments[i];
      if (!absolute_http(s.uri) || s.sequence != playlist->media_sequence + i || !(s.duration_s >= 0)) std::abort();
    }
    if (playlist->master && spence::net::choose_variant(*playlist) == nullptr) std::abort();
  }
  for (const auto& entry : {spence::net::first_pls_entry(input, base), spence::net::first_m3u_entry(input, base)})
    if (entry && !absolute_http(*entry)) std::abort();
  return 0;
}
