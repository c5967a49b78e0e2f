#include "engine/player/null_sink.hpp"

namespace spence::engine {

void null_sink::send(const outgoing_frame&) { ++sent_; }

void null_sink::flush() {}

sink_counters null_sink::counters() const { return {.sent = sent_, .dropped = 0}; }

}  // namespace spence::engine
