#pragma once
// Deezer, through its public JSON API (no account needed): track, album, playlist and artist URLs
// (www.deezer.com[/cc]/track|album|playlist|artist/ID; an artist gives its top 50 tracks),
// `dzsearch:` (`/search?q=`) and `dzisrc:` (`/track/isrc:CODE`), as LavaSrc reads them. Tracks are
// metadata (sourceName "deezer", played from a matched track: track_mirror). Deezer reports
// failures as HTTP 200 with `{"error":{"type","message","code"}}`: code 800 (no data) is `empty`,
// 4 (quota) and 700 (busy) a rate limit, any other an error quoting Deezer's message.
// Blocking; thread-safe (api_caller: at most 4 requests at once, retries, 429s honoured).

#include "resolvers/api_caller.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/platform_resolver.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace spence::resolvers {

struct deezer_endpoints {
  std::string api = "https://api.deezer.com/2.0";
};

// The parsers, on their own for the fuzz target. A track needs its id, title, duration and
// artist name; `album` stands in for an entry's missing album (an album's own track list).
std::optional<net::lavalink::decoded_track> deezer_track(const boost::json::object& data,
                                                         const boost::json::object* album = nullptr);
// The tracks of a `{"data":[...]}` list (entries of other types or unreadable ones left out).
std::vector<net::lavalink::decoded_track> deezer_tracks(const boost::json::value& list,
                                                        const boost::json::object* album = nullptr);
// A body holding Deezer's `error` object, as the reply it stands for; the body otherwise.
json_reply deezer_checked(json_reply reply);

class deezer_resolver final : public platform_resolver {
 public:
  static constexpr int artist_top_tracks = 50;

  deezer_resolver(net::http_client_thread& http, deezer_endpoints endpoints = {});
  net::lavalink::load_result load(const identifier_route& route) override;

 private:
  json_reply get(const std::string& path);
  net::lavalink::load_result load_url(const std::string& url);

  api_caller api_;
  deezer_endpoints endpoints_;
};

}  // namespace spence::resolvers
