#pragma once
// Playing a metadata track (Deezer, Spotify, Apple Music): at play time, as LavaSrc does, the
// track is looked up on a platform that plays, through ordinary identifiers the router resolves.
// Each provider is an identifier template: `%ISRC%` becomes the track's ISRC (a provider naming
// it is skipped for a track without one), `%QUERY%` its title and author. Providers are tried in
// order (LavaSrc's defaults: `ytsearch:"%ISRC%"`, then `ytsearch:%QUERY%`); the first whose
// results hold an acceptable candidate (mirror_match: same ISRC, else the best score) gives the
// track to play. Providers on metadata platforms (dzsearch:, dzisrc:, spsearch:, amsearch:) are
// refused: they would only give more metadata. The choice is logged at debug level.
//
// Blocking (the load function waits for the router); thread-safe.

#include "net/lavalink/load_result.hpp"
#include "resolvers/mirror_match.hpp"

#include <boost/system/result.hpp>

#include <functional>
#include <string>
#include <vector>

namespace spence::resolvers {

struct mirror_settings {
  std::vector<std::string> providers{"ytsearch:\"%ISRC%\"", "ytsearch:%QUERY%"};
  match_settings match;
};

// Why a provider cannot be one (a metadata platform's prefix), if it cannot.
std::optional<std::string> provider_problem(std::string_view provider);

class track_mirror {
 public:
  using loader = std::function<net::lavalink::load_result(const std::string& identifier)>;

  track_mirror(mirror_settings settings, loader load);

  // The playable track for `wanted`, or why there is none (every provider tried, the reasons).
  boost::system::result<net::lavalink::decoded_track, std::string> find(const net::lavalink::track_info& wanted) const;

 private:
  mirror_settings settings_;
  loader load_;
};

}  // namespace spence::resolvers
