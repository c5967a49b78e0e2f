#pragma once
// Packets demuxed ahead of the caller, each with its own copy of the bytes: libogg's packet memory
// lasts only until the next page goes in. A ring of reusable buffers, so that once warm, queueing a
// packet allocates nothing. The slot popped last is left untouched until the next pop: next() hands
// out a view of it, and a seek that read one packet too far takes it back (unpop).

#include "engine/opus_demuxer.hpp"

#include <memory>
#include <vector>

namespace spence::engine {

struct demuxed_packet {
  std::vector<std::uint8_t> bytes;
  std::int64_t timestamp = 0;
  std::uint32_t stream_index = 0;
  std::shared_ptr<const opus_stream_info> info;  // its link's parameters
};

class demuxed_packet_queue {
 public:
  bool empty() const noexcept { return count_ == 0; }
  demuxed_packet& front() noexcept { return slots_[head_]; }

  // Appends a copy of bytes; the caller fills in the rest of the returned slot.
  demuxed_packet& push(std::span<const std::uint8_t> bytes);
  // Removes the front packet; the returned slot stays valid until the next pop.
  demuxed_packet& pop() noexcept;
  // Puts the packet popped last back in front. Only after a pop, before any other pop or clear().
  void unpop() noexcept;
  void clear() noexcept { count_ = 0; }

 private:
  std::size_t at(std::size_t i) const noexcept { return (head_ + i) % slots_.size(); }

  std::vector<demuxed_packet> slots_ = std::vector<demuxed_packet>(8);
  std::size_t head_ = 0;
  std::size_t count_ = 0;
};

}  // namespace spence::engine
