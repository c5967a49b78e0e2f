#include "engine/player/player_events.hpp"

namespace spence::engine {

std::string_view to_string(track_end_reason reason) {
  switch (reason) {
    case track_end_reason::finished: return "finished";
    case track_end_reason::load_failed: return "loadFailed";
    case track_end_reason::stopped: return "stopped";
    case track_end_reason::replaced: return "replaced";
    case track_end_reason::cleanup: return "cleanup";
  }
  return "finished";
}

std::string_view to_string(exception_severity severity) {
  switch (severity) {
    case exception_severity::common: return "common";
    case exception_severity::suspicious: return "suspicious";
    case exception_severity::fault: return "fault";
  }
  return "fault";
}

}  // namespace spence::engine
