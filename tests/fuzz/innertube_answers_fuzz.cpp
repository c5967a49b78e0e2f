// The InnerTube answers: any bytes that parse as JSON are read as a player, search, music search
// and playlist answer without throwing, and what comes out keeps its promises: a track result
// holds one track, search and playlist results hold tracks, every track is a youtube one with an
// 11-character id and its watch URL, errors carry a message, a picked format is a direct URL.
// YouTube links and stream URL lifetimes are read from the same bytes.

#include "resolvers/innertube_answers.hpp"
#include "resolvers/youtube_resolver.hpp"

#include <boost/json/parse.hpp>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using namespace spence::resolvers;
using kind = spence::net::lavalink::load_result::kind;

void check(const spence::net::lavalink::load_result& r) {
  if (r.type == kind::error && r.message.empty()) std::abort();
  if (r.type == kind::track && r.tracks.size() != 1) std::abort();
  if ((r.type == kind::search || r.type == kind::playlist) && r.tracks.empty()) std::abort();
  if ((r.type == kind::empty || r.type == kind::error) && !r.tracks.empty()) std::abort();
  if (r.selected_track >= static_cast<int>(r.tracks.size())) std::abort();
  for (const auto& t : r.tracks) {
    if (!is_video_id(t.info.identifier) || t.info.source_name != "youtube") std::abort();
    if (t.info.uri != "https://www.youtube.com/watch?v=" + t.info.identifier) std::abort();
    if (t.info.length_ms < 0 || t.info.is_seekable == t.info.is_stream) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto link = parse_youtube_link(text);
  if (link.what == youtube_link::kind::video && !is_video_id(link.video_id)) std::abort();
  if (stream_url_lifetime(text, std::chrono::system_clock::now()) > std::chrono::hours(6)) std::abort();
  duration_text_ms(text);

  boost::system::error_code ec;
  const auto body = boost::json::parse(text, ec);
  if (ec) return 0;
  const auto player = read_player(body, "Playable001");
  check(player.result);
  const auto choice = pick_audio_format(player);
  if (choice.format ? choice.format->url.empty() : choice.why_not.empty()) std::abort();
  check(read_search(body));
  check(read_music_search(body));
  std::optional<std::string> next_page;
  auto playlist = read_playlist(body, "Playable001", &next_page);
  check(playlist);
  if (next_page && next_page->empty()) std::abort();
  // The same bytes as a later page: whatever they add keeps the playlist's promises.
  if (playlist.type == spence::net::lavalink::load_result::kind::playlist) {
    const auto before = playlist.tracks.size();
    const auto next = read_playlist_continuation(body, playlist, "Playable001");
    if (playlist.tracks.size() < before || (next && next->empty())) std::abort();
    check(playlist);
  }
  return 0;
}
