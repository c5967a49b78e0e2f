#pragma once
// What an http(s) URL holds, for playing it: a media file or stream, an Icecast/SHOUTcast radio
// stream, an HLS playlist, a playlist file naming the stream (PLS, M3U), or something else.
//
// The request asks for ICY metadata ("Icy-MetaData: 1"); http_source strips it when the answer
// has icy-metaint. Content-Type decides where it is telling:
// - application/vnd.apple.mpegurl, application/x-mpegurl, audio/mpegurl, audio/x-mpegurl: an M3U
//   playlist: HLS when it has EXT-X tags (a master playlist's audio-only or least-bandwidth
//   variant is played: hls_source), else a plain list whose first entry is opened instead;
// - audio/x-scpls: a PLS playlist whose File1 (the first entry) is opened instead;
// - text/html and application/xhtml+xml: a web page, refused as lavaplayer refuses it
//   ("Unknown file format.");
// - audio/*, video/*, application/ogg: media, as is.
// Any other type, or none, is sniffed: a body starting with "#EXTM3U" or "[playlist]" is read as
// above, anything else is media. The container itself is always found from the bytes (media_probe).
// Playlists are read whole (at most 1 MiB) and followed at most 3 deep.
//
// Throws engine::media_error. Blocks: never on the client's thread.

#include "engine/byte_source.hpp"
#include "net/http/http_client.hpp"

#include <memory>
#include <string>

namespace spence::net {

std::unique_ptr<engine::byte_source> open_http_media(http_client& client, const std::string& url,
                                                     const http_options& options);

}  // namespace spence::net
