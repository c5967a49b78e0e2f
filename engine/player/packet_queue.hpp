#pragma once
// The realtime queue between a player and a destination that cannot take a packet right now (a
// socket that would block). Bounded at one second of audio (50 packets): the tick never waits for
// the destination, so when the queue is full the oldest packet goes, and the loss is counted.
// Late audio is worth less than current audio.
//
// A ring of slots, each owning a copy of its packet's bytes. Slots reuse their buffers, so once the
// ring has gone round, queueing allocates nothing. Nothing is allocated before the first push: most
// sinks never queue, and a player should not pay 50 full-size packet buffers for a queue it never
// uses.

#include "actors/clock.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace spence::engine {

// What a destination did with one packet it was asked to transmit.
enum class transmit_outcome { sent, would_block, failed };

struct queued_packet {
  std::uint64_t frame = 0;
  actors::clock::time_point deadline{};
  std::vector<std::uint8_t> opus;
};

class packet_queue {
 public:
  // One second of 20 ms frames: the bound on what spence queues to the wire.
  static constexpr std::size_t max_capacity = 50;
  // RFC 6716's largest packet for one 20 ms frame. Slot buffers reserve this much on first use so
  // that later packets fit without reallocating; a larger packet still fits (its slot grows).
  static constexpr std::size_t reserved_packet_bytes = 1275;

  // Throws std::invalid_argument for a capacity of 0 or above max_capacity.
  explicit packet_queue(std::size_t capacity = max_capacity);

  // Appends a copy of the packet. When the queue is full the oldest packet is dropped first.
  void push(std::uint64_t frame, actors::clock::time_point deadline, std::span<const std::uint8_t> opus);

  // The oldest packet. Only when not empty; valid until the next push or pop.
  const queued_packet& front() const noexcept { return slots_[head_]; }
  // Removes the oldest packet (its slot keeps its buffer for reuse). Only when not empty.
  void pop() noexcept;

  // Transmits the queued packets, oldest first, until one would block (false) or none is left
  // (true). `transmit(frame, opus)` returns a transmit_outcome; a failed packet is gone.
  template <class Transmit>
  bool drain(Transmit&& transmit) {
    while (!empty()) {
      const queued_packet& oldest = front();
      if (transmit(oldest.frame, std::span<const std::uint8_t>(oldest.opus)) == transmit_outcome::would_block)
        return false;
      pop();
    }
    return true;
  }
  // Transmits a packet after everything queued before it, so packets leave in frame order;
  // queues it when it cannot go now.
  template <class Transmit>
  void send_in_order(std::uint64_t frame, actors::clock::time_point deadline, std::span<const std::uint8_t> opus,
                     Transmit&& transmit) {
    if (drain(transmit) && transmit(frame, opus) != transmit_outcome::would_block) return;
    push(frame, deadline, opus);
  }

  bool empty() const noexcept { return count_ == 0; }
  std::size_t size() const noexcept { return count_; }
  std::size_t capacity() const noexcept { return capacity_; }
  // Packets pushed out by newer ones since construction.
  std::uint64_t dropped() const noexcept { return dropped_; }

 private:
  std::vector<queued_packet> slots_;  // empty until the first push, then `capacity_` slots
  std::size_t capacity_;
  std::size_t head_ = 0;  // slot of the oldest packet
  std::size_t count_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace spence::engine
