#include "app/node_tracks.hpp"

#include "engine/media_error.hpp"
#include "resolvers/probed_media_resolver.hpp"

#include <utility>

namespace spence::app {

namespace lavalink = net::lavalink;
using resolvers::platform;

node_sources sources_of(const node_config::source_settings& c) {
  node_sources s;
  s.http = c.http;
  s.local = c.local;
  if (c.soundcloud) s.soundcloud = c.soundcloud_endpoints;
  if (c.youtube) s.youtube = c.youtube_endpoints;
  if (c.deezer) s.deezer = c.deezer_endpoints;
  if (c.spotify) s.spotify = c.spotify_settings;
  if (c.apple_music) s.apple_music = c.apple_music_settings;
  s.mirror.providers = c.mirror_providers;
  return s;
}

node_tracks::node_tracks(node_sources sources, net::http_options http)
    : sources_(std::move(sources)), opener_(std::make_shared<source_opener>(std::move(http))) {
  if (sources_.soundcloud || sources_.youtube || sources_.deezer || sources_.spotify || sources_.apple_music)
    api_ = std::make_unique<net::http_client_thread>();
  if (sources_.soundcloud) soundcloud_ = std::make_shared<resolvers::soundcloud_resolver>(*api_, *sources_.soundcloud);
  if (sources_.youtube) youtube_ = std::make_shared<resolvers::youtube_resolver>(*api_, *sources_.youtube);
  if (sources_.deezer) metadata_[platform::deezer] = std::make_shared<resolvers::deezer_resolver>(*api_, *sources_.deezer);
  if (sources_.spotify) metadata_[platform::spotify] = std::make_shared<resolvers::spotify_resolver>(*api_, *sources_.spotify);
  if (sources_.apple_music)
    metadata_[platform::apple_music] = std::make_shared<resolvers::apple_music_resolver>(*api_, *sources_.apple_music);
}

void node_tracks::mirror_through(resolvers::track_mirror::loader load) {
  mirror_ = std::make_unique<resolvers::track_mirror>(sources_.mirror, std::move(load));
}

node_tracks::~node_tracks() = default;

bool node_tracks::serves(platform p) const {
  return (p == platform::http && sources_.http) || (p == platform::local && sources_.local) ||
         (p == platform::soundcloud && soundcloud_) ||
         ((p == platform::youtube || p == platform::youtube_music) && youtube_) ||
         metadata_.contains(p);
}

std::vector<std::string> node_tracks::source_managers() const {
  std::vector<std::string> names;
  for (const auto p : {platform::youtube, platform::soundcloud, platform::http, platform::local, platform::deezer,
                       platform::spotify, platform::apple_music})
    if (serves(p)) names.emplace_back(resolvers::source_name(p));
  return names;
}

std::map<platform, std::shared_ptr<resolvers::platform_resolver>> node_tracks::platform_resolvers() const {
  std::map<platform, std::shared_ptr<resolvers::platform_resolver>> out;
  for (const auto p : {platform::http, platform::local}) {
    if (!serves(p)) continue;
    out[p] = std::make_shared<resolvers::probed_media_resolver>(
        p, [opener = opener_](const std::string& where) { return opener->open(where); });
  }
  if (soundcloud_) out[platform::soundcloud] = soundcloud_;
  if (youtube_) out[platform::youtube] = out[platform::youtube_music] = youtube_;
  for (const auto& [p, resolver] : metadata_) out[p] = resolver;
  return out;
}

std::unique_ptr<engine::byte_source> node_tracks::open(const std::string& encoded) const {
  auto track = lavalink::decode_track(encoded);
  if (!track) throw engine::media_error(engine::media_errc::malformed, "track", "does not decode: " + track.error().message());
  return open_track(*track, false);
}

std::unique_ptr<engine::byte_source> node_tracks::open_track(const lavalink::decoded_track& track, bool mirrored) const {
  const auto& name = track.info.source_name;
  const auto& where = track.info.uri.value_or(track.info.identifier);
  // The track must be one of an enabled source, and where it points must route to that source:
  // an encoded track is client input, and a "local" one must not smuggle in a URL, nor the reverse.
  auto route = resolvers::route_identifier(where);
  if (!route || !serves(route->where) || resolvers::source_name(route->where) != name)
    throw engine::media_error(engine::media_errc::unsupported_format, where,
                              "this node does not serve tracks of source \"" + name + "\"");
  if (metadata_.contains(route->where)) {
    // Metadata plays from its match on a platform that plays (never another metadata track).
    if (mirrored || !mirror_)
      throw engine::media_error(engine::media_errc::unsupported_format, where, "a " + name + " track cannot play by itself");
    auto match = mirror_->find(track.info);
    if (!match) throw engine::media_error(engine::media_errc::network, where, match.error());
    return open_track(*match, true);
  }
  // A platform's track plays from the stream it offers now, and from a new one if that expires
  // while it plays (stream URLs are signed for a while): the opener asks the resolver again.
  if (route->where == platform::soundcloud)
    return opener_->open_located([soundcloud = soundcloud_, where] { return soundcloud->stream_url(where); });
  if (route->where == platform::youtube || route->where == platform::youtube_music)
    // The resolver keeps stream URLs until their `expire`; asked again, the one kept was refused.
    return opener_->open_located([youtube = youtube_, where, asked = false]() mutable {
      return youtube->stream_url(where, std::exchange(asked, true));
    });
  return opener_->open(where);
}

}  // namespace spence::app
