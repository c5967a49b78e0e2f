#pragma once
// What a supervisor does when an actor's handler throws.

#include "actors/clock.hpp"

#include <chrono>
#include <cstddef>
#include <vector>

namespace spence::actors {

struct supervision {
  enum class strategy {
    restart,   // fresh state at the same address; the queued messages stay
    stop,      // terminate; watchers and the parent are told
    escalate,  // terminate, and fail the parent with this failure
  };
  strategy on_failure = strategy::restart;
  // Intensity limit: more than max_restarts restarts within `within` stops the actor instead.
  std::size_t max_restarts = 3;
  clock::duration within = std::chrono::seconds(10);
};

// Remembers recent restart times to enforce the intensity limit.
class restart_window {
 public:
  // Records a restart at `now` if the limit allows it; false means the limit is exceeded.
  bool admit(const supervision& policy, clock::time_point now);
  std::size_t total() const { return total_; }

 private:
  std::vector<clock::time_point> recent_;
  std::size_t total_ = 0;
};

}  // namespace spence::actors
