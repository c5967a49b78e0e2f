#pragma once
// lavaplayer's encoded track, byte for byte: what Lavalink puts in a Track's "encoded" field and
// takes back in PATCH, /v4/decodetrack and /v4/decodetracks. Clients keep these strings and send
// them to whichever node they like, so spence must read what Lavalink wrote and write what
// Lavalink would.
//
// base64 of one lavaplayer message:
//   u32 BE header: flags << 30 | size of what follows (flag 1: versioned)
//   u8 version (only when versioned; otherwise version 1)
//   title, author: Java UTF (u16 BE byte length + modified UTF-8)
//   i64 BE length (ms), identifier (UTF), u8 isStream
//   version >= 2: uri (nullable UTF: u8 present, then UTF if 1)
//   version >= 3: artworkUrl, isrc (nullable UTF)
//   sourceName (UTF), the source's own bytes, i64 BE position (ms)
// Written: always version 3, flag 1. Read: versions 1 to 3.
//
// The source's bytes: "http" and "local" write their probe string ("mp3", "matroska/webm",
// "name|parameters"), kept as probe_info (absent when a track encoded by a client library has
// none); every other source's bytes are kept as they are, so a track decoded from another node
// encodes back identically. The position is the message's last 8 bytes.
//
// Reading never throws and never reads past the input: a bad byte is a track_codec_error naming
// the field. Where lavaplayer is lenient (a boolean byte other than 0/1, overlong UTF forms, base64
// without padding or with non-zero unused bits) we accept the same input, and encoding writes the
// canonical form, so only then does encode(decode(x)) differ from x. Unlike lavaplayer, we refuse
// bytes after the message and versions it would read as 3 (above 3) or 1 (0).

#include "net/lavalink/track_codec_error.hpp"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net::lavalink {

// Lavalink's TrackInfo, in its field order.
struct track_info {
  std::string identifier;
  bool is_seekable = true;       // not encoded: lavaplayer's default, !is_stream
  std::string author;
  std::int64_t length_ms = 0;    // streams: INT64_MAX (lavaplayer's "unknown duration")
  bool is_stream = false;
  std::int64_t position_ms = 0;
  std::string title;
  std::optional<std::string> uri;
  std::string source_name;
  std::optional<std::string> artwork_url;
  std::optional<std::string> isrc;
  friend bool operator==(const track_info&, const track_info&) = default;
};
BOOST_DESCRIBE_STRUCT(track_info, (), (identifier, is_seekable, author, length_ms, is_stream, position_ms, title, uri,
                                       source_name, artwork_url, isrc))

struct decoded_track {
  track_info info;
  // "http" and "local" only: the probe that reads the media, "probeName" or "probeName|parameters"
  // (Lavalink shows it as pluginInfo.probeInfo).
  std::optional<std::string> probe_info;
  // Any other source: the bytes its source manager wrote, opaque.
  std::vector<std::uint8_t> source_data;
  friend bool operator==(const decoded_track&, const decoded_track&) = default;
};
BOOST_DESCRIBE_STRUCT(decoded_track, (), (info, probe_info, source_data))

// Whether `source_name` keeps a probe string ("http", "local").
bool has_probe_info(std::string_view source_name) noexcept;

track_codec_result<decoded_track> decode_track(std::string_view base64);
track_codec_result<decoded_track> decode_track_message(std::span<const std::uint8_t> message);

// Version 3. Writes probe_info (if any), then source_data, as the source's bytes. Errors: bad_utf8,
// string_too_long, message_too_large.
track_codec_result<std::string> encode_track(const decoded_track& track);
track_codec_result<std::vector<std::uint8_t>> encode_track_message(const decoded_track& track);

}  // namespace spence::net::lavalink
