#include "net/http/byte_ring.hpp"

#include <algorithm>
#include <cassert>
#include <cstring>

namespace spence::net {

byte_ring::byte_ring(std::size_t capacity) : storage_(capacity) {}

void byte_ring::push(std::span<const std::uint8_t> bytes) {
  assert(bytes.size() <= free());
  if (bytes.empty()) return;
  const std::size_t tail = (head_ + size_) % capacity();
  const std::size_t first = std::min(bytes.size(), capacity() - tail);
  std::memcpy(storage_.data() + tail, bytes.data(), first);
  std::memcpy(storage_.data(), bytes.data() + first, bytes.size() - first);
  size_ += bytes.size();
}

std::size_t byte_ring::pop(std::span<std::uint8_t> out) {
  const std::size_t n = std::min(out.size(), size_);
  if (n == 0) return 0;
  const std::size_t first = std::min(n, capacity() - head_);
  std::memcpy(out.data(), storage_.data() + head_, first);
  std::memcpy(out.data() + first, storage_.data(), n - first);
  discard(n);
  return n;
}

std::size_t byte_ring::discard(std::size_t n) {
  n = std::min(n, size_);
  size_ -= n;
  head_ = size_ == 0 ? 0 : (head_ + n) % capacity();
  return n;
}

}  // namespace spence::net
