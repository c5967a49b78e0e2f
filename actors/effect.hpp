#pragma once
// An effect sink is where an actor's output leaves the system: a socket, a file. Actors never touch
// them directly; they call context::emit with the sink's registered name, so that the runtime can
// digest every effect into the trace and, during replay, digest without performing it.

#include <cstddef>
#include <span>

namespace spence::actors {

class effect_sink {
 public:
  virtual ~effect_sink() = default;
  virtual void write(std::span<const std::byte> bytes) = 0;
};

}  // namespace spence::actors
