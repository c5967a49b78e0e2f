#pragma once
// Which of a search's candidates is the recording a metadata track (Deezer, Spotify, Apple Music)
// names: the score track_mirror chooses the track to play by.
//
// - Same ISRC: the same recording; it wins whatever else differs.
// - Otherwise both titles are normalised (lower case; Latin accents folded, "É" is "e"; punctuation,
//   brackets and General Punctuation (dashes, curly quotes) are word breaks; a
//   "feat."/"ft."/"featuring" clause dropped with the rest of its bracket, or up to the next
//   " - " or bracket outside one; the words "official",
//   "video", "audio", "lyrics", "lyric", "hd", "hq", "4k", "mv", "visualizer", "remaster",
//   "remastered" and years dropped) and compared as sets of words:
//   title = 0.75 * (share of the wanted title's words found in the candidate's title or author)
//         + 0.25 * (share of the candidate title's words found in the wanted title or artist);
//   artist = share of the wanted first artist's words found in the candidate's title or author;
//   duration = 1 - |difference| / tolerance, tolerance max(15 s, 10 % of the wanted length)
//   (0.5 when either length is unknown);
//   score = 0.5 * title + 0.3 * artist + 0.2 * duration, acceptable from 0.75 (so a song of the
//   same title by nobody named like the artist is not taken).
// - Refused outright: a live stream; a length off by more than the tolerance; fewer than half the
//   title's words; and a variant the wanted title does not name itself: "cover", "live", "remix"
//   or "rmx", "karaoke", "instrumental", "sped up", "nightcore", "slowed", "reverb", "8d".

#include "net/lavalink/track_codec.hpp"

#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::resolvers {

struct match_settings {
  std::chrono::milliseconds min_tolerance{15'000};
  double relative_tolerance = 0.10;
  double min_score = 0.75;
};

struct match_score {
  bool acceptable = false;
  double score = 0;    // 0 to 1; 2 for the same ISRC
  std::string reason;  // why it was refused, or how it scored
};

// The title as the score compares it: its words, single-spaced.
std::string normalised_title(std::string_view title);

match_score score_match(const net::lavalink::track_info& wanted, const net::lavalink::track_info& candidate,
                        const match_settings& settings = {});

struct chosen_match {
  std::size_t index = 0;
  match_score score;
};

// The acceptable candidate with the highest score (the earlier one on a tie), if any.
std::optional<chosen_match> best_match(const net::lavalink::track_info& wanted,
                                       std::span<const net::lavalink::decoded_track> candidates,
                                       const match_settings& settings = {});

}  // namespace spence::resolvers
