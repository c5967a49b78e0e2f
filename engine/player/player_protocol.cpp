#include "engine/player/player_protocol.hpp"

namespace spence::engine {

player_notice to_notice(const player_event& event) {
  player_notice n;
  std::visit(
      [&](const auto& e) {
        using E = std::decay_t<decltype(e)>;
        n.track = e.track;
        if constexpr (std::is_same_v<E, track_started>) {
          n.type = "TrackStartEvent";
        } else if constexpr (std::is_same_v<E, track_ended>) {
          n.type = "TrackEndEvent";
          n.reason = to_string(e.reason);
        } else if constexpr (std::is_same_v<E, track_exception>) {
          n.type = "TrackExceptionEvent";
          n.message = e.message;
          n.severity = to_string(e.severity);
        } else {
          n.type = "TrackStuckEvent";
          n.threshold_ms = e.threshold_ms;
        }
      },
      event);
  return n;
}

}  // namespace spence::engine
