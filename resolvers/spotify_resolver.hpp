#pragma once
// Spotify, through its Web API with an app's client-credentials token: track, album, playlist and
// artist URLs (open.spotify.com[/intl-xx]/track|album|playlist|artist/ID; an artist gives its top
// tracks in `market`) and `spsearch:` (10 tracks), as LavaSrc reads them. Tracks are metadata
// (sourceName "spotify", played from a matched track: track_mirror).
//
// The token comes from the accounts service (POST /api/token, grant_type=client_credentials, the
// client id and secret as HTTP Basic), is kept until shortly before it expires, and is fetched
// anew when the API answers 401 (the request then retried once). Neither the secret nor the token
// appears in a message or log. Without a client id and secret configured, every Spotify
// identifier is an error naming the missing key.
//
// Albums are read page by page and completed with `/tracks?ids=` (50 at a time; an album's own
// list lacks ISRCs); playlists page by page (100 a page, at most `max_pages` pages), following
// the API's `next` links only within the configured API. Blocking; thread-safe.

#include "resolvers/api_caller.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/platform_resolver.hpp"

#include <boost/json/object.hpp>

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace spence::resolvers {

struct spotify_settings {
  std::string client_id;      // sources.spotify_client_id
  std::string client_secret;  // sources.spotify_client_secret: never logged
  std::string market = "US";  // artists' top tracks
  std::string api = "https://api.spotify.com/v1";
  std::string accounts = "https://accounts.spotify.com";
};

// The parser, on its own for the fuzz target: a Web API track object (`album` stands in for an
// album's simplified entries, which have none). Local files and incomplete tracks: nothing.
std::optional<net::lavalink::decoded_track> spotify_track(const boost::json::object& data,
                                                          const boost::json::object* album = nullptr);

class spotify_resolver final : public platform_resolver {
 public:
  static constexpr int search_results = 10;
  static constexpr int max_pages = 6;

  spotify_resolver(net::http_client_thread& http, spotify_settings settings);
  net::lavalink::load_result load(const identifier_route& route) override;

 private:
  // GETs `path` (or an absolute `next` URL within the API) with the token; once more with a new
  // token after a 401.
  json_reply get(const std::string& path_or_url);
  std::optional<std::string> token(bool renew, net::lavalink::load_result& failure);
  net::lavalink::load_result load_url(const std::string& url);
  struct page_walk pages();
  net::lavalink::load_result album(const std::string& id);
  net::lavalink::load_result playlist(const std::string& id);
  net::lavalink::load_result artist(const std::string& id);

  api_caller api_;
  spotify_settings settings_;
  std::mutex mutex_;
  std::optional<std::string> token_;
  std::chrono::steady_clock::time_point token_expires_{};
};

}  // namespace spence::resolvers
