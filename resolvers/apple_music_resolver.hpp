#pragma once
// Apple Music, through its catalog API with a developer token: song URLs, album URLs (and a song
// within one: `?i=ID`), playlist and artist URLs (music.apple.com/CC/song|album|playlist|artist/
// [name/]ID; an artist gives its top songs) and `amsearch:` (10 songs), as LavaSrc reads them. The
// storefront is the URL's country, else `country`. Tracks are metadata (sourceName "applemusic",
// played from a matched track: track_mirror), with the artwork's {w}x{h} template filled in.
//
// The developer token is the configured one (sources.apple_music_token). LavaSrc can also take one
// from Apple's web player; spence does not, and says so when none is configured. A 401 or 403 is
// the token's refusal (expired or invalid), an error saying to configure a new one. Albums and
// playlists are read page by page (at most `max_pages`, following the API's relative `next`
// links). Blocking; thread-safe.

#include "resolvers/api_caller.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/platform_resolver.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>

namespace spence::resolvers {

struct apple_music_settings {
  std::string token;           // sources.apple_music_token: a developer token (JWT); never logged
  std::string country = "us";  // the storefront when the URL names none (searches)
  std::string api = "https://api.music.apple.com";
};

// The parser, on its own for the fuzz target: a catalog song resource ({id, type, attributes}).
std::optional<net::lavalink::decoded_track> apple_music_track(const boost::json::object& resource);

class apple_music_resolver final : public platform_resolver {
 public:
  static constexpr int search_results = 10;
  static constexpr int max_pages = 6;

  apple_music_resolver(net::http_client_thread& http, apple_music_settings settings);
  net::lavalink::load_result load(const identifier_route& route) override;

 private:
  json_reply get(const std::string& path);
  net::lavalink::load_result load_url(const std::string& url);
  net::lavalink::load_result collection(const std::string& storefront, const std::string& type, const std::string& id);
  net::lavalink::load_result artist(const std::string& storefront, const std::string& id);

  api_caller api_;
  apple_music_settings settings_;
};

}  // namespace spence::resolvers
