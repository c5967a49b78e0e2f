#pragma once
// Where a player's packets go, one 20 ms frame at a time: nowhere (benchmarks), an Ogg file, a UDP
// socket, and, later, the guild's voice connection.

#include "actors/clock.hpp"

#include <cstdint>
#include <span>

namespace spence::engine {

struct outgoing_frame {
  std::uint64_t frame = 0;                // the frame index on the frame clock
  actors::clock::time_point deadline{};   // when the frame is due on the wire
  std::span<const std::uint8_t> opus;     // one Opus packet; valid only during the call
};

struct sink_counters {
  std::uint64_t sent = 0;     // packets handed to the destination
  std::uint64_t dropped = 0;  // packets lost because the destination could not keep up
};

class packet_sink {
 public:
  virtual ~packet_sink() = default;
  // Called on the strand of the player's tick shard, in frame order. Never blocks: a destination
  // that cannot take the packet now queues it in a bounded realtime queue (50 packets, the oldest
  // dropped and counted).
  virtual void send(const outgoing_frame& frame) = 0;
  // The player ended its audio (stopped, track over, player gone): write what is pending.
  virtual void flush() = 0;
  virtual sink_counters counters() const = 0;
};

}  // namespace spence::engine
