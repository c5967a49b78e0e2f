#pragma once
// SoundCloud, through the API its web app uses (api-v2): track and playlist URLs (`/resolve`),
// searches (`scsearch:`, `/search/tracks`), and at play time the URL of a track's stream.
//
// The API wants the web app's client id. It is discovered as the app does it: the web page names
// its scripts (<script src="...">), one of which holds `client_id:"..."`; it is kept until the API
// refuses it (401 or 403), then discovered once more and the request retried.
//
// Tracks come out as lavaplayer makes them (sourceName "soundcloud", the track's id as identifier,
// its permalink as uri, the uploader as author, isrc from the publisher's metadata). Tracks SoundCloud
// blocks in this region are left out of searches and playlists and an error on their own; tracks of
// which it offers only a 30-second preview (policy SNIP, or every transcoding snipped) likewise,
// named as such. Playlists whose track list holds only ids are completed with `/tracks?ids=`.
// A stream is the progressive MP3 transcoding, else an HLS one (MP3 or Ogg/Opus segments).
//
// Blocking (http fetches through an api_caller: at most 4 at once, retries, 429s honoured);
// thread-safe. Rate limits and other statuses that remain come back as errors naming them;
// malformed answers as errors naming what was missing, never a crash.

#include "resolvers/api_caller.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/platform_resolver.hpp"

#include <boost/json/object.hpp>

#include <mutex>
#include <optional>
#include <string>

namespace spence::resolvers {

struct soundcloud_endpoints {
  std::string web = "https://soundcloud.com";             // the web app's page: where the client id is found
  std::string api = "https://api-v2.soundcloud.com";      // the API
};

class soundcloud_resolver final : public platform_resolver {
 public:
  static constexpr std::size_t search_results = 10;

  soundcloud_resolver(net::http_client_thread& http, soundcloud_endpoints endpoints = {});

  net::lavalink::load_result load(const identifier_route& route) override;
  // The stream URL of the track at `permalink` (a progressive MP3, else an HLS playlist), found
  // anew on each call: the player calls it again when a URL expires. Throws engine::media_error.
  std::string stream_url(const std::string& permalink);

 private:
  // GETs `path_and_query` (with the client id appended) from the API; retries once with a newly
  // discovered client id after a 401 or 403.
  json_reply call(const std::string& path_and_query);
  std::optional<std::string> client_id(bool rediscover);
  std::optional<net::lavalink::decoded_track> track_of(const boost::json::object& data, std::string* why_not);
  net::lavalink::load_result playlist_of(const boost::json::object& data);

  api_caller api_;
  soundcloud_endpoints endpoints_;
  std::mutex mutex_;
  std::optional<std::string> client_id_;
};

}  // namespace spence::resolvers
