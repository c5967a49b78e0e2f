#pragma once
// What a tick shard drives: something that produces one 20 ms frame per tick. Guild players are
// tickables; the shard knows nothing else about them.

#include "actors/clock.hpp"

#include <cstdint>

namespace spence::engine {

class tickable {
 public:
  virtual ~tickable() = default;
  // Produces frame `frame` (due at `deadline`) and hands it to the player's sink. Runs on the
  // strand of the shard that owns the tickable; must not block.
  virtual void tick(std::uint64_t frame, actors::clock::time_point deadline) = 0;
  // Whether the next tick has work. An inactive tickable (idle, paused) is not ticked at all until
  // something run on its shard (a command) makes it active again.
  virtual bool active() const = 0;
  // Starts loading what the next tick() reads into the cache, without waiting for it (prefetch
  // hints only). The shard calls it a few members ahead of their ticks, once their first cache
  // lines are loaded, so the cache misses of many members overlap instead of adding up.
  virtual void prefetch() const noexcept {}
};

}  // namespace spence::engine
