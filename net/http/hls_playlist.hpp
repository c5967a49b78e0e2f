#pragma once
// HLS playlists (RFC 8216) as far as spence plays them: a master playlist's variants, a media
// playlist's segments, target duration, media sequence and end, and what would make it unplayable
// here (encryption, fMP4 initialisation sections). URIs come back absolute, resolved against the
// playlist's own URL, and only http(s). The text comes from the network: every failure is a reason,
// never an exception, and the counts are bounded.

#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net {

struct hls_variant {
  std::string uri;
  std::uint64_t bandwidth = 0;
  std::string codecs;  // the CODECS attribute, empty when absent

  // CODECS names no video codec (avc1, hvc1, vp09, av01, ...). Without CODECS: unknown, false.
  bool audio_only() const;
};

struct hls_segment {
  std::string uri;
  double duration_s = 0;
  std::uint64_t sequence = 0;  // EXT-X-MEDIA-SEQUENCE of the first, then one more each
};

struct hls_playlist {
  bool master = false;
  std::vector<hls_variant> variants;  // master playlists
  // Media playlists:
  double target_duration_s = 0;
  std::uint64_t media_sequence = 0;
  std::vector<hls_segment> segments;
  bool ended = false;      // EXT-X-ENDLIST: nothing will be added (not live)
  std::string key_method;  // the first EXT-X-KEY METHOD other than NONE ("AES-128", "SAMPLE-AES"), or empty
  bool has_map = false;    // EXT-X-MAP: fragmented MP4 segments
};

inline constexpr std::size_t max_hls_entries = 20'000;  // segments or variants per playlist

using hls_parse_result = boost::system::result<hls_playlist, std::string>;

// `base_url`: where the playlist came from (after redirects), for relative URIs.
hls_parse_result parse_hls_playlist(std::string_view text, std::string_view base_url);

// `reference` (absolute, or relative to `base_url`) as an absolute http(s) URL, or why not.
using url_result = boost::system::result<std::string, std::string>;
url_result resolve_http_reference(std::string_view reference, std::string_view base_url);

// The variant to play: the audio-only one of least bandwidth, else the one of least bandwidth.
const hls_variant* choose_variant(const hls_playlist& master);

}  // namespace spence::net
