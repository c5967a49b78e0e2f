#pragma once
// The node's tracks: the resolvers /v4/loadtracks reaches through the router, and how a player
// opens a track it is given in lavaplayer's encoded form. The sources are Lavalink's "http"
// (http(s) URLs) and "local" (files on this machine, off by default; both
// resolvers/probed_media_resolver), "soundcloud" (resolvers/soundcloud_resolver: its tracks
// play from the progressive MP3 or HLS stream located when the player opens them) and "youtube"
// (resolvers/youtube_resolver, YouTube Music too: its tracks play from the Opus/WebM stream
// InnerTube offers, kept until it expires), each on or off by configuration. A platform's stream
// is located again if its URL expires mid-playback (source_opener::open_located). LavaSrc's
// "deezer", "spotify" and "applemusic" give metadata: when a player opens such a track it is
// matched to a playable one through the mirror providers (resolvers/track_mirror, asking the
// router given to mirror_through), and that track is opened. A source turned off routes to no
// resolver: Lavalink's `empty`, as a Lavalink without that source manager answers.

#include "app/media_source.hpp"
#include "app/node_config.hpp"
#include "resolvers/apple_music_resolver.hpp"
#include "resolvers/deezer_resolver.hpp"
#include "resolvers/platform_resolver.hpp"
#include "resolvers/soundcloud_resolver.hpp"
#include "resolvers/youtube_resolver.hpp"
#include "resolvers/spotify_resolver.hpp"
#include "resolvers/track_mirror.hpp"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spence::app {

struct node_sources {
  bool http = true;
  bool local = false;
  std::optional<resolvers::soundcloud_endpoints> soundcloud;  // nullopt: off
  std::optional<resolvers::youtube_endpoints> youtube;        // nullopt: off
  std::optional<resolvers::deezer_endpoints> deezer;
  std::optional<resolvers::spotify_settings> spotify;
  std::optional<resolvers::apple_music_settings> apple_music;
  resolvers::mirror_settings mirror;
};

// The sources a node's configuration turns on.
node_sources sources_of(const node_config::source_settings& configured);

class node_tracks {
 public:
  explicit node_tracks(node_sources sources, net::http_options http = {});
  ~node_tracks();

  // The resolvers of the enabled sources, for the router's resolver_services.
  std::map<resolvers::platform, std::shared_ptr<resolvers::platform_resolver>> platform_resolvers() const;
  // Opens an encoded track for a player. Throws engine::media_error when it does not decode, its
  // source is off or unknown, or it cannot be opened.
  std::unique_ptr<engine::byte_source> open(const std::string& encoded) const;
  // /v4/info's sourceManagers.
  std::vector<std::string> source_managers() const;
  // How metadata tracks find what they play: `load` resolves an identifier (the router). Set it
  // before players open tracks; until then metadata tracks do not open.
  void mirror_through(resolvers::track_mirror::loader load);

 private:
  bool serves(resolvers::platform p) const;
  // Opens a playable track; `mirrored`: it is the match of a metadata track (and must be playable itself).
  std::unique_ptr<engine::byte_source> open_track(const net::lavalink::decoded_track& track, bool mirrored) const;

  node_sources sources_;
  std::shared_ptr<source_opener> opener_;
  std::unique_ptr<net::http_client_thread> api_;  // the platforms' API requests
  std::shared_ptr<resolvers::soundcloud_resolver> soundcloud_;
  std::shared_ptr<resolvers::youtube_resolver> youtube_;
  std::map<resolvers::platform, std::shared_ptr<resolvers::platform_resolver>> metadata_;  // deezer, spotify, apple_music
  std::unique_ptr<resolvers::track_mirror> mirror_;
};

}  // namespace spence::app
