#pragma once
// What a guild player reports, as Lavalink v4 defines its events (TrackStartEvent, TrackEndEvent,
// TrackExceptionEvent, TrackStuckEvent); the node turns them into its WebSocket JSON.

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace spence::engine {

// Lavalink's end reasons; `finished` and `load_failed` let a client start the next track.
enum class track_end_reason { finished, load_failed, stopped, replaced, cleanup };
enum class exception_severity { common, suspicious, fault };

std::string_view to_string(track_end_reason reason);
std::string_view to_string(exception_severity severity);

struct track_started {
  std::string track;
};

struct track_ended {
  std::string track;
  track_end_reason reason = track_end_reason::finished;
};

struct track_exception {
  std::string track;
  std::string message;
  exception_severity severity = exception_severity::fault;
};

// No audio could be read for the threshold (a stalled network source).
struct track_stuck {
  std::string track;
  std::uint32_t threshold_ms = 0;
};

using player_event = std::variant<track_started, track_ended, track_exception, track_stuck>;

}  // namespace spence::engine
