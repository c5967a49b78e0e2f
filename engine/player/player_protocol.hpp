#pragma once
// The messages of a guild player actor (player_actor.hpp): the commands its owner sends (the node,
// the bot), what the player sends itself (a track opened off the shard, what its shard played),
// and what leaves it (notices: Lavalink's events, ready for a client).

#include "actors/reply.hpp"
#include "engine/dsp/filter_chain.hpp"
#include "engine/player/frame_statistics.hpp"
#include "engine/player/player_events.hpp"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace spence::engine {

// Commands. Each takes effect at a frame boundary, in the order the player received them.

// Opens `track` (a path or URL the player's services can open) and plays it from `start_ms`,
// replacing the track playing unless `no_replace`.
struct play_track {
  std::string track;
  std::int64_t start_ms = 0;
  std::optional<std::int64_t> end_ms;  // stop there, reported as finished
  bool no_replace = false;
};
BOOST_DESCRIBE_STRUCT(play_track, (), (track, start_ms, end_ms, no_replace))

struct stop_track {};
BOOST_DESCRIBE_STRUCT(stop_track, (), ())

struct pause_player {
  bool paused = true;
};
BOOST_DESCRIBE_STRUCT(pause_player, (), (paused))

struct seek_track {
  std::int64_t position_ms = 0;
};
BOOST_DESCRIBE_STRUCT(seek_track, (), (position_ms))

// Moves (or, with nullopt, removes) the end of the track playing, as Lavalink's end marker does:
// reaching it ends the track as finished; an end the track has already passed is dropped.
struct set_track_end {
  std::optional<std::int64_t> end_ms;
};
BOOST_DESCRIBE_STRUCT(set_track_end, (), (end_ms))

struct set_player_volume {
  int percent = 100;  // 0 to 1000; clamped
};
BOOST_DESCRIBE_STRUCT(set_player_volume, (), (percent))

struct set_player_filters {
  filter_settings filters;
};
BOOST_DESCRIBE_STRUCT(set_player_filters, (), (filters))

// Ends the track (reported as cleanup), then the player stops.
struct destroy_player {};
BOOST_DESCRIBE_STRUCT(destroy_player, (), ())

// What the player knows from what its shard reported (not a live reading of the shard, so that
// replay answers the same).
struct player_state {
  std::string track;  // empty when none
  std::int64_t position_ms = 0;
  bool paused = false;
  int volume_percent = 100;
  std::uint64_t frames = 0;  // ticks so far
  std::uint64_t sent = 0;    // packets sent so far
  std::uint64_t nulled = 0;  // frames with no audio ready so far
  // Lavalink's frameStats for the player: the last whole minute, once there is one.
  std::optional<frame_counts> last_minute;
};
BOOST_DESCRIBE_STRUCT(player_state, (), (track, position_ms, paused, volume_percent, frames, sent, nulled, last_minute))

struct get_player_state {
  actors::reply_to<player_state> reply;
};
BOOST_DESCRIBE_STRUCT(get_player_state, (), (reply))

// A player event as it leaves the player, in Lavalink's terms; the node wraps it in its WebSocket
// message. PlayerUpdate carries the position: while a track plays, with the first report (they come
// every second) after each update interval of frames played, and at once after a track starts, a
// seek, a filter change, a resume or a stuck report.
struct player_notice {
  std::string type;   // TrackStartEvent, TrackEndEvent, TrackExceptionEvent, TrackStuckEvent, PlayerUpdate
  std::string guild_id;  // set as the notice leaves the player
  std::string track;
  std::int64_t position_ms = 0;  // PlayerUpdate
  std::string reason;    // TrackEndEvent: finished, loadFailed, stopped, replaced, cleanup
  std::string message;   // TrackExceptionEvent
  std::string severity;  // TrackExceptionEvent: common, suspicious, fault
  std::uint32_t threshold_ms = 0;  // TrackStuckEvent
  std::string voice_stream;  // set as the notice leaves the player: which of the guild's players it is
  bool operator==(const player_notice&) const = default;
};
BOOST_DESCRIBE_STRUCT(player_notice, (), (type, guild_id, track, position_ms, reason, message, severity, threshold_ms,
                                          voice_stream))

player_notice to_notice(const player_event& event);

// What the player sends itself.

// A track was opened (or failed to open) off the shard. `media_log` names its recorded reads, when
// a trace is being recorded.
struct track_opened {
  std::uint64_t incarnation = 0;  // of the player that asked; a restarted player ignores older ones
  std::uint64_t command = 0;
  std::string media_log;
  std::string error;  // empty: opened
};
BOOST_DESCRIBE_STRUCT(track_opened, (), (incarnation, command, media_log, error))

// A command ran on the shard before tick number `at` of the player's session.
struct applied_command {
  std::uint64_t command = 0;
  std::uint64_t at = 0;
  std::string error;  // what the engine refused, if it did (e.g. a seek on a live stream)
  bool operator==(const applied_command&) const = default;
};
BOOST_DESCRIBE_STRUCT(applied_command, (), (command, at, error))

// Frames were skipped (the shard fell too far behind): tick `at` produced frame `frame`.
struct frame_gap {
  std::uint64_t at = 0;
  std::uint64_t frame = 0;
  bool operator==(const frame_gap&) const = default;
};
BOOST_DESCRIBE_STRUCT(frame_gap, (), (at, frame))

// What the shard did for the player since its previous report: ticks [first_tick, first_tick +
// frames) producing frames from first_frame on (with any gaps), how many packets they sent and how
// many were nulled, the commands applied between them, the events, where the track stands, and,
// when a trace is recorded, the digest of every packet.
struct frames_played {
  std::uint64_t incarnation = 0;  // of the player whose session played them
  std::uint64_t first_tick = 0;
  std::uint64_t first_frame = 0;
  std::uint64_t frames = 0;
  std::uint64_t sent = 0;
  std::uint64_t nulled = 0;
  std::vector<frame_gap> gaps;
  std::vector<applied_command> applied;
  std::vector<player_notice> events;
  std::int64_t position_ms = 0;
  std::optional<frame_counts> last_minute;  // Lavalink's frame statistics, when usable
  std::string digest;  // empty unless recorded
  bool operator==(const frames_played&) const = default;
};
BOOST_DESCRIBE_STRUCT(frames_played, (), (incarnation, first_tick, first_frame, frames, sent, nulled, gaps, applied, events, position_ms, last_minute, digest))

}  // namespace spence::engine
