#include "app/node_tracks.hpp"

#include "engine/media_error.hpp"
#include "resolvers/probed_media_resolver.hpp"

#include <utility>

namespace spence::app {

namespace lavalink = net::lavalink;
using resolvers::platform;

node_tracks::node_tracks(node_sources sources, net::http_options http)
    : sources_(std::move(sources)), opener_(std::make_shared<source_opener>(std::move(http))) {
  if (sources_.soundcloud || sources_.youtube) api_ = std::make_unique<net::http_client_thread>();
  if (sources_.soundcloud) soundcloud_ = std::make_shared<resolvers::soundcloud_resolver>(*api_, *sources_.soundcloud);
  if (sources_.youtube) youtube_ = std::make_shared<resolvers::youtube_resolver>(*api_, *sources_.youtube);
}

node_tracks::~node_tracks() = default;

bool node_tracks::serves(platform p) const {
  return (p == platform::http && sources_.http) || (p == platform::local && sources_.local) ||
         (p == platform::soundcloud && soundcloud_) ||
         ((p == platform::youtube || p == platform::youtube_music) && youtube_);
}

std::vector<std::string> node_tracks::source_managers() const {
  std::vector<std::string> names;
  for (const auto p : {platform::youtube, platform::soundcloud, platform::http, platform::local})
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
  return out;
}

std::unique_ptr<engine::byte_source> node_tracks::open(const std::string& encoded) const {
  auto track = lavalink::decode_track(encoded);
  if (!track) throw engine::media_error(engine::media_errc::malformed, "track", "does not decode: " + track.error().message());
  const auto& name = track->info.source_name;
  const auto& where = track->info.uri.value_or(track->info.identifier);
  // The track must be one of an enabled source, and where it points must route to that source:
  // an encoded track is client input, and a "local" one must not smuggle in a URL, nor the reverse.
  auto route = resolvers::route_identifier(where);
  if (!route || !serves(route->where) || resolvers::source_name(route->where) != name)
    throw engine::media_error(engine::media_errc::unsupported_format, where,
                              "this node does not serve tracks of source \"" + name + "\"");
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
