#include "net/http/read_ahead_window.hpp"

namespace spence::net {

read_ahead_window::read_ahead_window(std::size_t capacity) : ring_(capacity) {}

void read_ahead_window::wait_established() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return established_ || ended_ || failure_; });
  if (!established_ && failure_) throw *failure_;
}

std::size_t read_ahead_window::read(std::span<std::uint8_t> out) {
  if (out.empty()) return 0;
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return !ring_.empty() || ended_ || failure_; });
  if (!ring_.empty()) {
    const std::size_t n = ring_.pop(out);
    position_ += n;
    return n;
  }
  if (failure_) throw *failure_;
  return 0;
}

bool read_ahead_window::skip_to(std::uint64_t offset) {
  std::lock_guard lock(mutex_);
  if (offset < position_ || offset - position_ > ring_.size()) return false;
  ring_.discard(static_cast<std::size_t>(offset - position_));
  position_ = offset;
  return true;
}

std::uint64_t read_ahead_window::restart_at(std::uint64_t offset) {
  std::lock_guard lock(mutex_);
  ring_.clear();
  position_ = offset;
  paused_write_ = 0;
  ended_ = false;
  failure_.reset();
  return ++generation_;
}

std::optional<std::uint64_t> read_ahead_window::take_unpause_request() {
  std::lock_guard lock(mutex_);
  if (paused_write_ == 0 || ring_.free() < paused_write_) return std::nullopt;
  paused_write_ = 0;
  return generation_;
}

std::uint64_t read_ahead_window::position() const {
  std::lock_guard lock(mutex_);
  return position_;
}

std::size_t read_ahead_window::available() const {
  std::lock_guard lock(mutex_);
  return ring_.size();
}

bool read_ahead_window::settled() const {
  std::lock_guard lock(mutex_);
  return ended_ || failure_.has_value();
}

std::size_t read_ahead_window::capacity() const {
  std::lock_guard lock(mutex_);
  return ring_.capacity();
}

std::optional<std::uint64_t> read_ahead_window::size() const {
  std::lock_guard lock(mutex_);
  return size_;
}

bool read_ahead_window::seekable() const {
  std::lock_guard lock(mutex_);
  return seekable_;
}

read_ahead_window::push_result read_ahead_window::push(std::uint64_t generation,
                                                       std::span<const std::uint8_t> bytes) {
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || ended_ || failure_) return push_result::stale;
    if (bytes.size() > ring_.free()) {
      paused_write_ = bytes.size();
      return push_result::full;
    }
    ring_.push(bytes);
  }
  changed_.notify_all();
  return push_result::accepted;
}

void read_ahead_window::describe(std::uint64_t generation, std::optional<std::uint64_t> size, bool seekable) {
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_) return;
    established_ = true;
    size_ = size;
    seekable_ = seekable;
  }
  changed_.notify_all();
}

void read_ahead_window::describe_body(const body_description& body) {
  std::lock_guard lock(mutex_);
  if (!established_) body_ = body;
}

void read_ahead_window::set_stream_title(std::string title) {
  std::lock_guard lock(mutex_);
  stream_title_ = std::move(title);
}

body_description read_ahead_window::body() const {
  std::lock_guard lock(mutex_);
  return body_;
}

std::string read_ahead_window::stream_title() const {
  std::lock_guard lock(mutex_);
  return stream_title_;
}

void read_ahead_window::finish(std::uint64_t generation) {
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || failure_) return;
    ended_ = true;
  }
  changed_.notify_all();
}

void read_ahead_window::fail(std::uint64_t generation, const engine::media_error& error) {
  {
    std::lock_guard lock(mutex_);
    if (generation != generation_ || failure_ || ended_) return;
    failure_ = error;
  }
  changed_.notify_all();
}

std::uint64_t read_ahead_window::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace spence::net
