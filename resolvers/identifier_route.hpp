#pragma once
// Which resolver serves an identifier, as a user or a Lavalink client gives it to /v4/loadtracks:
// a search with a platform's prefix (`ytsearch:`, `ytmsearch:`, `scsearch:`, `dzsearch:`,
// `spsearch:`, `amsearch:`), Deezer's ISRC lookup (`dzisrc:`), an http(s) URL (a platform's by its
// host, any other one plain HTTP), or else a local path. The prefixes and hosts are those of
// Lavalink and its LavaSrc plugin, so clients' identifiers route as they would there.
//
// Routing reads only the text; it never touches the network or the file system. What it refuses
// (an empty or oversized identifier, control characters, a search without terms, an ISRC of the
// wrong shape, a URL that does not parse) comes back with the reason, for Lavalink's `error` result.

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace spence::resolvers {

enum class platform { youtube, youtube_music, soundcloud, deezer, spotify, apple_music, http, local };

enum class route_kind {
  search,  // query: the search terms
  isrc,    // query: the ISRC, upper case
  url,     // query: the URL as given
  path,    // query: the path as given
};

struct identifier_route {
  platform where = platform::http;
  route_kind kind = route_kind::url;
  std::string query;
  bool operator==(const identifier_route&) const = default;
};

// Identifiers longer than this are refused: no platform's URL or search comes near it.
inline constexpr std::size_t max_identifier_bytes = 2048;

boost::system::result<identifier_route, std::string> route_identifier(std::string_view identifier);

// The platform's Lavalink sourceName: youtube, youtube (music too), soundcloud, deezer, spotify,
// applemusic, http, local.
std::string_view source_name(platform p) noexcept;
std::string_view to_string(platform p) noexcept;
std::string_view to_string(route_kind k) noexcept;

}  // namespace spence::resolvers
