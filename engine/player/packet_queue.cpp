#include "engine/player/packet_queue.hpp"

#include <stdexcept>
#include <string>

namespace spence::engine {

packet_queue::packet_queue(std::size_t capacity) : capacity_(capacity) {
  if (capacity == 0 || capacity > max_capacity) {
    throw std::invalid_argument("packet_queue capacity must be 1 to " + std::to_string(max_capacity) + ", not " +
                                std::to_string(capacity));
  }
}

void packet_queue::push(std::uint64_t frame, actors::clock::time_point deadline, std::span<const std::uint8_t> opus) {
  if (slots_.empty()) slots_.resize(capacity_);
  if (count_ == capacity_) {
    pop();
    ++dropped_;
  }
  queued_packet& slot = slots_[(head_ + count_) % capacity_];
  if (slot.opus.capacity() < reserved_packet_bytes) slot.opus.reserve(reserved_packet_bytes);
  slot.frame = frame;
  slot.deadline = deadline;
  slot.opus.assign(opus.begin(), opus.end());
  ++count_;
}

void packet_queue::pop() noexcept {
  head_ = (head_ + 1) % capacity_;
  --count_;
}

}  // namespace spence::engine
