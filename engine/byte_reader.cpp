#include "engine/byte_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace spence::engine {

byte_reader::byte_reader(std::unique_ptr<byte_source> source, std::size_t capacity)
    : source_(std::move(source)), buffer_(capacity) {}

void byte_reader::fill(std::size_t n) {
  if (end_ - begin_ >= n) return;
  if (begin_ + n > buffer_.size()) {  // compact so that n bytes fit behind begin_
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  while (end_ - begin_ < n) {
    const std::size_t got = source_->read(std::span(buffer_).subspan(end_));
    if (got == 0) return;
    end_ += got;
  }
}

std::span<const std::uint8_t> byte_reader::peek(std::size_t n) {
  if (n > buffer_.size()) fail(media_errc::limit_exceeded, fmt::format("peek of {} bytes", n));
  fill(n);
  return std::span<const std::uint8_t>(buffer_).subspan(begin_, std::min(n, end_ - begin_));
}

std::size_t byte_reader::read_some(std::span<std::uint8_t> out) {
  if (out.empty()) return 0;
  if (begin_ == end_) {
    // Large reads bypass the buffer.
    if (out.size() >= buffer_.size()) {
      const std::size_t got = source_->read(out);
      position_ += got;
      return got;
    }
    begin_ = end_ = 0;
    fill(1);
  }
  const std::size_t n = std::min(out.size(), end_ - begin_);
  std::memcpy(out.data(), buffer_.data() + begin_, n);
  begin_ += n;
  position_ += n;
  return n;
}

void byte_reader::read_exact(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t got = read_some(out.subspan(done));
    if (got == 0) fail(media_errc::truncated, fmt::format("needed {} more bytes", out.size() - done));
    done += got;
  }
}

std::uint8_t byte_reader::read_u8() {
  std::uint8_t b = 0;
  read_exact(std::span(&b, 1));
  return b;
}

void byte_reader::skip(std::uint64_t n) {
  const std::size_t buffered = end_ - begin_;
  if (n <= buffered) {
    begin_ += static_cast<std::size_t>(n);
    position_ += n;
    return;
  }
  if (source_->seekable() && n - buffered > buffer_.size()) {
    const auto total = source_->size();
    if (total && position_ + n > *total)
      fail(media_errc::truncated, fmt::format("skip of {} bytes passes the end at byte {}", n, *total));
    seek(position_ + n);
    return;
  }
  std::uint64_t left = n;
  std::uint8_t scratch[4096];
  while (left > 0) {
    const std::size_t got = read_some(std::span(scratch, static_cast<std::size_t>(std::min<std::uint64_t>(left, sizeof scratch))));
    if (got == 0) fail(media_errc::truncated, fmt::format("skip needed {} more bytes", left));
    left -= got;
  }
}

bool byte_reader::at_end() { return peek(1).empty(); }

void byte_reader::seek(std::uint64_t offset) {
  // A seek within the buffered window costs nothing.
  if (offset >= position_ && offset - position_ <= end_ - begin_) {
    begin_ += static_cast<std::size_t>(offset - position_);
    position_ = offset;
    return;
  }
  if (!source_->seekable()) fail(media_errc::not_seekable, fmt::format("cannot seek to byte {}", offset));
  source_->seek(offset);
  begin_ = end_ = 0;
  position_ = offset;
}

void byte_reader::fail(media_errc code, std::string_view detail) const {
  throw media_error(code, source_->name(), fmt::format("at byte {}: {}", position_, detail));
}

}  // namespace spence::engine
