#include "net/http/sniffed_source.hpp"

#include <algorithm>
#include <cstring>

namespace spence::net {

sniffed_source::sniffed_source(std::vector<std::uint8_t> prefix, std::unique_ptr<engine::byte_source> rest)
    : prefix_(std::move(prefix)), rest_(std::move(rest)) {}

std::size_t sniffed_source::read(std::span<std::uint8_t> out) {
  if (used_ == prefix_.size()) return rest_->read(out);
  const std::size_t n = std::min(out.size(), prefix_.size() - used_);
  std::memcpy(out.data(), prefix_.data() + used_, n);
  used_ += n;
  return n;
}

void sniffed_source::seek(std::uint64_t offset) {
  // The source stands just after the prefix, which is in memory: any offset inside it is free.
  if (offset <= prefix_.size()) {
    used_ = static_cast<std::size_t>(offset);
    return;
  }
  rest_->seek(offset);
  used_ = prefix_.size();
}

}  // namespace spence::net
