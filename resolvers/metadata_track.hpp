#pragma once
// A track of a metadata platform (Deezer, Spotify, Apple Music): what the platform says about a
// recording, played at play time from a matched track of another platform (track_mirror). Built
// as LavaSrc builds them, so clients see the same fields: its sourceName, the platform's id as
// identifier, the platform's page as uri, the album's artwork, the ISRC; and, as the source's own
// bytes of the encoded track, LavaSrc 4's extended info (album name, album URL, artist URL,
// artist artwork URL, preview URL: nullable Java UTF strings; then an isPreview byte), so a track
// encoded here decodes on a Lavalink with LavaSrc and back.

#include "net/lavalink/load_result.hpp"
#include "net/lavalink/track_codec.hpp"
#include "resolvers/identifier_route.hpp"

#include <boost/json/array.hpp>

#include <optional>
#include <string>

namespace spence::resolvers {

struct metadata_fields {
  std::string identifier;
  std::string title;
  std::string author;
  std::int64_t length_ms = 0;
  std::string uri;
  std::optional<std::string> artwork_url;
  std::optional<std::string> isrc;
  std::optional<std::string> album_name;
  std::optional<std::string> album_url;
  std::optional<std::string> artist_url;
  std::optional<std::string> artist_artwork_url;
  std::optional<std::string> preview_url;
};

net::lavalink::decoded_track metadata_track(platform where, metadata_fields fields);

// Whether tracks of this source are metadata to be matched elsewhere at play time.
bool is_metadata_source(std::string_view source_name) noexcept;

}  // namespace spence::resolvers

namespace spence::resolvers {

// A playlist (album, playlist, artist's top tracks) or search of these tracks: Lavalink's `empty`
// when there are none, as LavaSrc answers.
net::lavalink::load_result listed_tracks(net::lavalink::load_result::kind kind, std::string name,
                                         std::vector<net::lavalink::decoded_track> tracks);
net::lavalink::load_result single_track(net::lavalink::decoded_track track);

// The tracks `parse` makes of the objects in `list` (nothing for no list; other items and those
// `parse` refuses left out).
template <class Parse>
std::vector<net::lavalink::decoded_track> tracks_in(const boost::json::array* list, Parse&& parse) {
  std::vector<net::lavalink::decoded_track> out;
  if (!list) return out;
  for (const auto& item : *list)
    if (item.is_object())
      if (auto track = parse(item.as_object())) out.push_back(std::move(*track));
  return out;
}

}  // namespace spence::resolvers
