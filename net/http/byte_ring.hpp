#pragma once
// A fixed-capacity FIFO of bytes, allocated once: the storage of an HTTP source's read-ahead
// window, so that streaming never allocates per chunk. Not synchronized.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace spence::net {

class byte_ring {
 public:
  explicit byte_ring(std::size_t capacity);

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return storage_.size(); }
  std::size_t free() const noexcept { return storage_.size() - size_; }
  bool empty() const noexcept { return size_ == 0; }

  // Appends all of bytes; the caller checks bytes.size() <= free().
  void push(std::span<const std::uint8_t> bytes);
  // Moves up to out.size() bytes out, oldest first; returns how many.
  std::size_t pop(std::span<std::uint8_t> out);
  // Drops up to n of the oldest bytes; returns how many.
  std::size_t discard(std::size_t n);
  void clear() noexcept { head_ = size_ = 0; }

 private:
  std::vector<std::uint8_t> storage_;
  std::size_t head_ = 0;  // index of the oldest byte
  std::size_t size_ = 0;
};

}  // namespace spence::net
