#include "engine/webm/matroska_block.hpp"

#include "engine/webm/ebml_error.hpp"
#include "engine/webm/ebml_vint.hpp"
#include "engine/webm/webm_limits.hpp"

#include <fmt/format.h>

namespace spence::engine {
namespace {

enum class lacing { none = 0, xiph = 1, fixed = 2, ebml = 3 };

// Reads a block payload front to back, failing with the offset of the byte that broke a rule.
class payload_cursor {
 public:
  payload_cursor(std::span<const std::uint8_t> payload, std::uint64_t offset, std::string_view source)
      : payload_(payload), offset_(offset), source_(source) {}

  std::size_t left() const noexcept { return payload_.size() - at_; }

  std::uint8_t byte(std::string_view what) {
    if (left() == 0) fail(fmt::format("block ends before its {}", what));
    return payload_[at_++];
  }

  ebml_vint vint(std::string_view what) {
    const auto v = decode_ebml_vint(payload_.subspan(at_));
    if (!v) fail(fmt::format("block {} is not a valid variable-size integer", what));
    at_ += v->length;
    return *v;
  }

  std::span<const std::uint8_t> take(std::uint64_t n) {
    if (n > left()) fail(fmt::format("laced frame of {} bytes overruns the block ({} left)", n, left()));
    const auto frame = payload_.subspan(at_, static_cast<std::size_t>(n));
    at_ += frame.size();
    return frame;
  }

  [[noreturn]] void fail(std::string_view detail) const {
    throw_ebml_error(media_errc::malformed, source_, offset_ + at_, detail);
  }

 private:
  std::span<const std::uint8_t> payload_;
  std::uint64_t offset_;
  std::string_view source_;
  std::size_t at_ = 0;
};

// Xiph lacing: each size but the last is a run of 255s ended by a byte below 255 (RFC 3533 style).
std::uint64_t xiph_lace_size(payload_cursor& cursor) {
  std::uint64_t size = 0;
  std::uint8_t b = 0;
  do {
    b = cursor.byte("Xiph lace sizes");
    size += b;
  } while (b == 255);
  return size;
}

// EBML lacing: the first size is a VINT, each next one a signed VINT difference from the previous.
std::uint64_t ebml_lace_size(payload_cursor& cursor, std::optional<std::uint64_t> previous) {
  const ebml_vint v = cursor.vint("EBML lace size");
  if (!previous) return v.value;
  // The signed form subtracts half the range: 2^(7n-1) - 1.
  const std::int64_t bias = (std::int64_t{1} << (7 * v.length - 1)) - 1;
  const std::int64_t size = static_cast<std::int64_t>(*previous) + (static_cast<std::int64_t>(v.value) - bias);
  if (size < 0) cursor.fail("EBML lace size difference makes a negative frame size");
  return static_cast<std::uint64_t>(size);
}

}  // namespace

std::optional<std::uint64_t> matroska_block_track(std::span<const std::uint8_t> head) noexcept {
  const auto v = decode_ebml_vint(head);
  if (!v) return std::nullopt;
  return v->value;
}

matroska_block parse_matroska_block(std::span<const std::uint8_t> payload, std::uint64_t offset, std::string_view source) {
  payload_cursor cursor(payload, offset, source);
  matroska_block block;
  block.track = cursor.vint("track number").value;
  const std::uint8_t high = cursor.byte("timestamp");
  const std::uint8_t low = cursor.byte("timestamp");
  block.relative_timestamp = static_cast<std::int16_t>(static_cast<std::uint16_t>(high << 8 | low));
  const auto kind = static_cast<lacing>((cursor.byte("flags") >> 1) & 3);
  if (kind == lacing::none) {
    block.frames.push_back(cursor.take(cursor.left()));
    return block;
  }
  const std::size_t count = std::size_t{cursor.byte("lace count")} + 1;
  static_assert(webm_limits::max_lace_frames == 256, "the lace count byte holds count - 1");
  block.frames.reserve(count);
  if (kind == lacing::fixed) {
    if (cursor.left() % count != 0)
      cursor.fail(fmt::format("{} bytes do not split into {} fixed-size laced frames", cursor.left(), count));
    const std::size_t size = cursor.left() / count;
    for (std::size_t i = 0; i < count; ++i) block.frames.push_back(cursor.take(size));
    return block;
  }
  // Xiph and EBML lacing list every size but the last before the frames; the last takes the rest.
  std::vector<std::uint64_t> sizes;
  sizes.reserve(count - 1);
  std::optional<std::uint64_t> previous;
  for (std::size_t i = 0; i + 1 < count; ++i) {
    previous = kind == lacing::xiph ? xiph_lace_size(cursor) : ebml_lace_size(cursor, previous);
    sizes.push_back(*previous);
  }
  for (const std::uint64_t size : sizes) block.frames.push_back(cursor.take(size));
  block.frames.push_back(cursor.take(cursor.left()));
  return block;
}

}  // namespace spence::engine
