#include "resolvers/probed_media_resolver.hpp"

#include "engine/media_error.hpp"
#include "engine/media_open.hpp"
#include "resolvers/resolver_router.hpp"

#include <filesystem>
#include <limits>
#include <stdexcept>

namespace spence::resolvers {

namespace lavalink = net::lavalink;

namespace {

// lavaplayer's probe names, which Lavalink shows as pluginInfo.probeInfo and encodes in the track.
std::string probe_name(engine::container c) {
  switch (c) {
    case engine::container::webm: return "matroska/webm";
    case engine::container::ogg: return "ogg";
    case engine::container::mp3: return "mp3";
    case engine::container::wav: return "wav";
    default: return std::string(engine::container_name(c));
  }
}

}  // namespace

probed_media_resolver::probed_media_resolver(platform where, opener open) : where_(where), open_(std::move(open)) {
  if (where != platform::http && where != platform::local)
    throw std::invalid_argument("a probed media resolver serves http or local, not " + std::string(to_string(where)));
}

lavalink::load_result probed_media_resolver::load(const identifier_route& route) {
  lavalink::load_result result;
  if (route.where != where_) return result;
  std::error_code ec;
  if (where_ == platform::local && !std::filesystem::is_regular_file(route.query, ec)) return result;
  try {
    auto source = open_(route.query);
    const engine::byte_source* bytes = source.get();  // owned by `media` from here on
    auto media = engine::open_media(std::move(source));
    std::optional<std::int64_t> length_ms;
    if (media.opus && media.opus->info().duration) length_ms = *media.opus->info().duration / 48;
    if (media.pcm && media.pcm->duration_frames() && media.pcm->format().sample_rate > 0)
      length_ms = *media.pcm->duration_frames() * 1000 / media.pcm->format().sample_rate;
    lavalink::decoded_track track;
    track.info.identifier = route.query;
    track.info.author = "Unknown artist";
    // A radio stream's title: what it plays now, or the station (lavaplayer's default otherwise).
    const std::string title = bytes->stream_title();
    track.info.title = title.empty() ? "Unknown title" : title;
    track.info.is_stream = !length_ms;
    track.info.is_seekable = !track.info.is_stream;
    track.info.length_ms = length_ms.value_or(std::numeric_limits<std::int64_t>::max());
    track.info.uri = route.query;
    track.info.source_name = std::string(source_name(where_));
    track.probe_info = probe_name(media.kind);
    result.type = lavalink::load_result::kind::track;
    result.tracks.push_back(std::move(track));
  } catch (const engine::media_error& e) {
    const bool unsupported =
        e.code() == engine::media_errc::unsupported_format || e.code() == engine::media_errc::unsupported_codec;
    result = load_error(e.what(), unsupported ? "common" : "suspicious", e.what());
  }
  return result;
}

}  // namespace spence::resolvers
