#include "app/node_tracks.hpp"

#include "engine/media_error.hpp"
#include "engine/media_open.hpp"

#include <filesystem>
#include <limits>

namespace spence::app {

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

bool is_url(const std::string& s) { return s.starts_with("http://") || s.starts_with("https://"); }

}  // namespace

node_tracks::node_tracks(node_sources sources, net::http_options http)
    : sources_(sources), opener_(std::make_shared<source_opener>(std::move(http))) {}

std::vector<std::string> node_tracks::source_managers() const {
  std::vector<std::string> names;
  if (sources_.http) names.emplace_back("http");
  if (sources_.local) names.emplace_back("local");
  return names;
}

std::string node_tracks::source_of(const std::string& identifier) const {
  if (is_url(identifier)) return sources_.http ? "http" : "";
  std::error_code ec;
  if (sources_.local && std::filesystem::is_regular_file(identifier, ec)) return "local";
  return "";
}

lavalink::load_result node_tracks::load(const std::string& identifier) const {
  lavalink::load_result result;
  const auto source = source_of(identifier);
  if (source.empty()) return result;  // empty: no source of this node serves it
  try {
    auto media = engine::open_media(opener_->open(identifier));
    std::optional<std::int64_t> length_ms;
    if (media.opus && media.opus->info().duration) length_ms = *media.opus->info().duration / 48;
    if (media.pcm && media.pcm->duration_frames() && media.pcm->format().sample_rate > 0)
      length_ms = *media.pcm->duration_frames() * 1000 / media.pcm->format().sample_rate;
    lavalink::decoded_track track;
    track.info.identifier = identifier;
    track.info.author = "Unknown artist";
    track.info.title = "Unknown title";
    track.info.is_stream = !length_ms;
    track.info.is_seekable = !track.info.is_stream;
    track.info.length_ms = length_ms.value_or(std::numeric_limits<std::int64_t>::max());
    track.info.uri = identifier;
    track.info.source_name = source;
    track.probe_info = probe_name(media.kind);
    result.type = lavalink::load_result::kind::track;
    result.tracks.push_back(std::move(track));
  } catch (const engine::media_error& e) {
    result.type = lavalink::load_result::kind::error;
    result.message = e.what();
    result.severity = e.code() == engine::media_errc::unsupported_format || e.code() == engine::media_errc::unsupported_codec
                          ? "common"
                          : "suspicious";
    result.cause = e.what();
  }
  return result;
}

std::unique_ptr<engine::byte_source> node_tracks::open(const std::string& encoded) const {
  auto track = lavalink::decode_track(encoded);
  if (!track) throw engine::media_error(engine::media_errc::malformed, "track", "does not decode: " + track.error().message());
  const auto& name = track->info.source_name;
  const auto& where = track->info.uri.value_or(track->info.identifier);
  if ((name != "http" && name != "local") || source_of(where) != name)
    throw engine::media_error(engine::media_errc::unsupported_format, where,
                              "this node does not serve tracks of source \"" + name + "\"");
  return opener_->open(where);
}

}  // namespace spence::app
