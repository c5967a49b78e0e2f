#pragma once
// Buffered, position-tracking reads over a byte source: what every demuxer parses through.
// Peeking lets content detection look at the first bytes of a stream that cannot seek back.
// Failures throw media_error naming the source and the byte offset.

#include "engine/byte_source.hpp"
#include "engine/media_error.hpp"

#include <memory>
#include <vector>

namespace spence::engine {

class byte_reader {
 public:
  static constexpr std::size_t default_capacity = 64 * 1024;

  explicit byte_reader(std::unique_ptr<byte_source> source, std::size_t capacity = default_capacity);

  // Up to n bytes from the current position without consuming them; fewer only at the end of the
  // stream. n must not exceed capacity().
  std::span<const std::uint8_t> peek(std::size_t n);
  // Exactly out.size() bytes, or media_error(truncated).
  void read_exact(std::span<std::uint8_t> out);
  // Up to out.size() bytes; 0 only at the end.
  std::size_t read_some(std::span<std::uint8_t> out);
  std::uint8_t read_u8();
  // Discards n bytes (seeking when that is cheaper), or media_error(truncated) at the end.
  void skip(std::uint64_t n);
  bool at_end();

  std::uint64_t position() const noexcept { return position_; }
  bool seekable() const { return source_->seekable(); }
  std::optional<std::uint64_t> size() const { return source_->size(); }
  void seek(std::uint64_t offset);
  std::size_t capacity() const noexcept { return buffer_.size(); }
  // Bytes readable without waiting: what is buffered plus what the source holds.
  std::size_t available() const { return (end_ - begin_) + source_->available(); }
  bool may_wait() const { return source_->may_wait(); }
  bool may_ever_wait() const { return source_->may_ever_wait(); }

  const std::string& source_name() const { return source_->name(); }
  byte_source& source() noexcept { return *source_; }

  // Throws media_error(code) with "at byte <position>: <detail>".
  [[noreturn]] void fail(media_errc code, std::string_view detail) const;

 private:
  // Reads from the source until at least n bytes are buffered or the source ends.
  void fill(std::size_t n);

  std::unique_ptr<byte_source> source_;
  std::vector<std::uint8_t> buffer_;
  std::size_t begin_ = 0;  // first unread byte in buffer_
  std::size_t end_ = 0;    // one past the last buffered byte
  std::uint64_t position_ = 0;
};

}  // namespace spence::engine
