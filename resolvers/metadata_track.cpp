#include "resolvers/metadata_track.hpp"

#include "net/lavalink/modified_utf8.hpp"

namespace spence::resolvers {

namespace {

// lavaplayer's DataFormatTools.writeNullableText: a presence byte, then writeUTF (u16 BE length,
// modified UTF-8). Text that does not encode (not UTF-8, over 65535 bytes) is written as absent.
void append_nullable_text(const std::optional<std::string>& text, std::vector<std::uint8_t>& out) {
  std::vector<std::uint8_t> bytes;
  if (!text || !net::lavalink::append_modified_utf8(*text, bytes) || bytes.size() > 0xFFFF) {
    out.push_back(0);
    return;
  }
  out.push_back(1);
  out.push_back(static_cast<std::uint8_t>(bytes.size() >> 8));
  out.push_back(static_cast<std::uint8_t>(bytes.size() & 0xFF));
  out.insert(out.end(), bytes.begin(), bytes.end());
}

}  // namespace

net::lavalink::decoded_track metadata_track(platform where, metadata_fields f) {
  net::lavalink::decoded_track track;
  auto& info = track.info;
  info.identifier = std::move(f.identifier);
  info.title = std::move(f.title);
  info.author = std::move(f.author);
  info.length_ms = f.length_ms;
  info.is_stream = false;
  info.is_seekable = true;
  info.uri = std::move(f.uri);
  info.source_name = std::string(source_name(where));
  info.artwork_url = std::move(f.artwork_url);
  if (f.isrc && !f.isrc->empty()) info.isrc = std::move(f.isrc);
  for (const auto* text : {&f.album_name, &f.album_url, &f.artist_url, &f.artist_artwork_url, &f.preview_url})
    append_nullable_text(*text, track.source_data);
  track.source_data.push_back(0);  // isPreview: spence plays whole tracks only
  return track;
}

bool is_metadata_source(std::string_view name) noexcept {
  return name == source_name(platform::deezer) || name == source_name(platform::spotify) ||
         name == source_name(platform::apple_music);
}

}  // namespace spence::resolvers

namespace spence::resolvers {

net::lavalink::load_result listed_tracks(net::lavalink::load_result::kind kind, std::string name,
                                         std::vector<net::lavalink::decoded_track> tracks) {
  net::lavalink::load_result r;
  if (tracks.empty()) return r;
  r.type = kind;
  if (kind == net::lavalink::load_result::kind::playlist) r.playlist_name = std::move(name);
  r.tracks = std::move(tracks);
  return r;
}

net::lavalink::load_result single_track(net::lavalink::decoded_track track) {
  net::lavalink::load_result r;
  r.type = net::lavalink::load_result::kind::track;
  r.tracks.push_back(std::move(track));
  return r;
}

}  // namespace spence::resolvers
