#include "engine/memory_source.hpp"

#include <algorithm>
#include <cstring>

namespace spence::engine {

memory_source::memory_source(std::vector<std::uint8_t> bytes, std::string name)
    : bytes_(std::move(bytes)), name_(std::move(name)) {}

std::size_t memory_source::read(std::span<std::uint8_t> out) {
  const std::size_t n = std::min(out.size(), bytes_.size() - position_);
  if (n > 0) std::memcpy(out.data(), bytes_.data() + position_, n);
  position_ += n;
  return n;
}

void memory_source::seek(std::uint64_t offset) {
  position_ = static_cast<std::size_t>(std::min<std::uint64_t>(offset, bytes_.size()));
}

}  // namespace spence::engine
