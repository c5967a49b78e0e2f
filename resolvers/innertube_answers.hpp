#pragma once
// Reading YouTube's InnerTube answers (the JSON of /youtubei/v1/player, /search and /browse) into
// Lavalink tracks as Lavalink's youtube source makes them: sourceName "youtube", the video id as
// identifier, https://www.youtube.com/watch?v=ID as uri, the i.ytimg.com thumbnail as artworkUrl,
// the channel as author, the length in ms (live streams: unknown length, isStream).
//
// The shapes are those lavalink-devs/youtube-source reads (tests/resolvers/fixtures/youtube/README.md
// names each one). Pure functions of the parsed body: any JSON gives a result (a track, a list,
// `empty`, or an error naming what was missing), never an exception; the fuzz target
// fuzz_innertube_answers holds them to that.

#include "net/lavalink/load_result.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spence::resolvers {

struct youtube_stream_format {
  int itag = -1;
  std::string mime_type;  // e.g. audio/webm; codecs="opus"
  std::string url;        // direct (the clients spence uses give no signature ciphers)
  std::int64_t bitrate = 0;
};

struct youtube_player {
  // track (playable or live), empty (no such video), or error (refused, or a malformed answer).
  net::lavalink::load_result result;
  // The refusal is one another InnerTube client may not make (login, embedding, age checks).
  bool another_client_may_play = false;
  std::vector<youtube_stream_format> audio;  // the adaptive audio-only formats with a direct URL
  bool ciphered_only = false;                // audio formats exist, but only behind signature ciphers
};

// A /player answer for `video_id`.
youtube_player read_player(const boost::json::value& body, std::string_view video_id);
// A /search answer of the WEB client (videoRenderer) or a mobile one (compactVideoRenderer):
// search results, or empty. Live streams and unplayable entries are left out, as in youtube-source.
net::lavalink::load_result read_search(const boost::json::value& body);
// A YouTube Music /search answer (musicShelfRenderer of musicResponsiveListItemRenderer).
net::lavalink::load_result read_music_search(const boost::json::value& body);
// A /browse answer for a playlist (its first page: playlistVideoRenderer entries), with the
// selected track set to `selected_video` when it is among them. Removed and region-blocked entries
// are left out; an alert of type ERROR is the error. `next_page`, when given, gets the token of
// the page after it (its continuationItemRenderer), if any.
net::lavalink::load_result read_playlist(const boost::json::value& body, std::string_view selected_video,
                                         std::optional<std::string>* next_page = nullptr);
// A later page of that playlist (the /browse answer to a continuation token:
// onResponseReceivedActions' appendContinuationItemsAction items): its entries appended to
// `playlist`, by the same rules. Returns the next page's token, if any.
std::optional<std::string> read_playlist_continuation(const boost::json::value& page, net::lavalink::load_result& playlist,
                                                      std::string_view selected_video);

// The audio format spence plays: Opus in WebM (itag 251, else 250, else 249, else any other
// audio/webm Opus), which the engine passes through; or why there is none.
struct youtube_format_choice {
  std::optional<youtube_stream_format> format;
  std::string why_not;
};
youtube_format_choice pick_audio_format(const youtube_player& player);

// How long a stream URL may be reused: until its `expire` parameter (seconds since the epoch) less
// a minute's margin, at most 6 h; zero when it has expired or is about to.
std::chrono::seconds stream_url_lifetime(std::string_view url, std::chrono::system_clock::time_point now);

// "3:32", "1:02:03" as milliseconds; nullopt for anything else.
std::optional<std::int64_t> duration_text_ms(std::string_view text);
// An 11-character video id (letters, digits, - and _).
bool is_video_id(std::string_view id);
// The track as Lavalink's youtube source makes it.
net::lavalink::decoded_track youtube_track(std::string id, std::string title, std::string author,
                                           std::optional<std::int64_t> length_ms, bool is_stream);

}  // namespace spence::resolvers
