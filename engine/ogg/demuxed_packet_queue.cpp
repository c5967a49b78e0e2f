#include "engine/ogg/demuxed_packet_queue.hpp"

#include <algorithm>

namespace spence::engine {

demuxed_packet& demuxed_packet_queue::push(std::span<const std::uint8_t> bytes) {
  // One slot stays free: the one behind head_, which holds the packet popped last.
  if (count_ + 1 == slots_.size()) {
    std::rotate(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(at(slots_.size() - 1)), slots_.end());
    head_ = 1;
    slots_.resize(slots_.size() * 2);
  }
  demuxed_packet& slot = slots_[at(count_)];
  slot.bytes.assign(bytes.begin(), bytes.end());
  ++count_;
  return slot;
}

demuxed_packet& demuxed_packet_queue::pop() noexcept {
  demuxed_packet& slot = slots_[head_];
  head_ = at(1);
  --count_;
  return slot;
}

void demuxed_packet_queue::unpop() noexcept {
  head_ = at(slots_.size() - 1);
  ++count_;
}

}  // namespace spence::engine
