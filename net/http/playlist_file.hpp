#pragma once
// Playlist files that radio sites link to instead of their stream: PLS ("[playlist]" with
// File1=<url>) and plain M3U (one URL per line, "#" lines comments). spence plays the first entry,
// as lavaplayer does. Entries resolve against the playlist's URL and must be http(s). The text
// comes from the network: any input gives an entry or a reason.

#include "net/http/hls_playlist.hpp"

#include <string>
#include <string_view>

namespace spence::net {

using playlist_entry = url_result;

// The lowest-numbered FileN entry of a PLS playlist.
playlist_entry first_pls_entry(std::string_view text, std::string_view base_url);
// The first non-comment line of an M3U playlist.
playlist_entry first_m3u_entry(std::string_view text, std::string_view base_url);

}  // namespace spence::net
