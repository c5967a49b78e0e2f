#include "actors/append_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace spence::actors {
namespace {

// Writes all of `data` at `offset`; false on an error.
bool write_all_at(int fd, const char* data, std::size_t size, std::uint64_t offset) {
  while (size > 0) {
    auto n = ::pwrite(fd, data, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data += n;
    size -= static_cast<std::size_t>(n);
    offset += static_cast<std::uint64_t>(n);
  }
  return true;
}

}  // namespace

std::unique_ptr<append_file> append_file::open(const std::filesystem::path& path) {
  int buffered = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (buffered < 0) return nullptr;
  // Refused (EINVAL) where the filesystem has no direct I/O: then ordinary writes only.
  int direct = ::open(path.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  return std::unique_ptr<append_file>(new append_file(buffered, direct));
}

append_file::append_file(int buffered, int direct)
    : buffered_(buffered), direct_(direct), bounce_(nullptr, std::free) {
  if (direct_ >= 0) bounce_.reset(static_cast<std::byte*>(std::aligned_alloc(block, bounce_bytes)));
  if (direct_ >= 0 && !bounce_) {
    ::close(direct_);
    direct_ = -1;
  }
}

append_file::~append_file() {
  if (direct_ >= 0) ::close(direct_);
  ::close(buffered_);
}

std::size_t append_file::takes(std::size_t size) const { return direct_ >= 0 ? size - size % block : size; }

void append_file::append(std::string_view data) {
  if (direct_ < 0) return append_buffered(data);
  while (!data.empty()) {
    auto chunk = std::min(data.size(), bounce_bytes);
    std::memcpy(bounce_.get(), data.data(), chunk);
    if (!write_all_at(direct_, reinterpret_cast<const char*>(bounce_.get()), chunk, offset_)) {
      // Direct I/O refused after all: the rest, and everything later, goes the ordinary way.
      ::close(direct_);
      direct_ = -1;
      return append_buffered(data);
    }
    offset_ += chunk;
    data.remove_prefix(chunk);
  }
}

void append_file::append_buffered(std::string_view data) {
  if (write_all_at(buffered_, data.data(), data.size(), offset_)) offset_ += data.size();
}

void append_file::write_tail(std::string_view tail) {
  if (!tail.empty()) write_all_at(buffered_, tail.data(), tail.size(), offset_);
}

}  // namespace spence::actors
