#pragma once
// YouTube and YouTube Music, through InnerTube, the JSON API YouTube's own apps call (POST
// /youtubei/v1/{player,search,browse} with a `context.client` naming the app): video URLs
// (watch?v=, youtu.be/, shorts/, live/, embed/, music.youtube.com), playlists (`list=`, the first
// page of up to 100 videos: continuations are not followed), `ytsearch:` (videos only) and
// `ytmsearch:` (YouTube Music's songs). Tracks come out as Lavalink's youtube source makes them
// (resolvers/innertube_answers.hpp).
//
// Videos are asked of the ANDROID_VR client, then IOS when it refuses (login, embedding, age) or
// offers nothing spence plays: both answer with direct stream URLs, no signature cipher to solve,
// as in lavalink-devs/youtube-source. Searches and playlists use the WEB client, music searches
// WEB_REMIX. At play time the audio is Opus in WebM (itag 251, else 250, 249), which the engine
// passes through; live streams (HLS/DASH) and other codecs are refused with the reason. A stream
// URL found is kept until its `expire` parameter says (at most 6 h), so playing a track just
// loaded asks YouTube nothing more.
//
// Playability refusals are Lavalink `error` results with YouTube's reason; an id no video has is
// `empty`. Blocking (HTTP through an api_caller: at most 4 requests at once, retries, 429s
// honoured); thread-safe.

#include "resolvers/api_caller.hpp"
#include "resolvers/innertube_answers.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/platform_resolver.hpp"
#include "resolvers/ttl_cache.hpp"

#include <boost/json/object.hpp>

#include <string>
#include <string_view>

namespace spence::resolvers {

struct youtube_endpoints {
  std::string api = "https://youtubei.googleapis.com";  // InnerTube: /youtubei/v1/...
  std::string music_api = "https://music.youtube.com";  // YouTube Music's InnerTube (its search)
};

// What a YouTube URL names: a video, a playlist (with the video it was opened at, if any), or
// nothing spence loads.
struct youtube_link {
  enum class kind { none, video, playlist, mix };
  kind what = kind::none;
  std::string video_id;
  std::string list_id;
};
youtube_link parse_youtube_link(std::string_view url);

struct innertube_client;

class youtube_resolver final : public platform_resolver {
 public:
  // Pages of a playlist read at most (100 videos each), Lavalink's youtubePlaylistLoadLimit
  // default: a long playlist loads its first 600 videos.
  static constexpr int playlist_pages = 6;

  youtube_resolver(net::http_client_thread& http, youtube_endpoints endpoints = {});

  net::lavalink::load_result load(const identifier_route& route) override;
  // The URL of the audio to play for the video at `watch_url` (a track's uri). Throws
  // engine::media_error saying why there is none. With `refused`, the URL kept for it was just
  // refused (403 or 410 mid-playback, before its `expire`): a new one is asked for.
  std::string stream_url(const std::string& watch_url, bool refused = false);
  ttl_cache_stats stream_cache_stats() const { return streams_.stats(); }

 private:
  struct player_answer;
  json_reply call(const std::string& base, std::string_view endpoint, const innertube_client& who,
                  boost::json::object request);
  // The first client's answer that plays (or, with `for_playback`, offers a format spence plays).
  player_answer player(const std::string& video_id, bool for_playback);
  net::lavalink::load_result search(const identifier_route& route);
  net::lavalink::load_result link(const std::string& url);
  void keep_stream(const std::string& video_id, const youtube_player& player);

  api_caller api_;
  youtube_endpoints endpoints_;
  ttl_cache<std::string> streams_{{2'000, 4 << 20}};  // stream URLs by video id
};

}  // namespace spence::resolvers
