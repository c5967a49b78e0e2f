#pragma once
// EBML elements read one at a time from a byte stream: what walks a Segment and its Clusters,
// which are too large (or, live, endless) to hold in memory. It also keeps the skip budget: how
// many elements and read-through bytes went by since the reader last made progress, so that
// endless junk ends in limit_exceeded rather than an endless read.

#include "engine/byte_reader.hpp"
#include "engine/webm/ebml_element.hpp"

#include <memory>
#include <vector>

namespace spence::engine {

class ebml_reader {
 public:
  explicit ebml_reader(std::unique_ptr<byte_reader> bytes);

  // The header at the current position, consumed; nullopt when the stream ends right here.
  // A known size must fit before parent_end (malformed otherwise). Counts against the budget.
  std::optional<ebml_element> read_element(std::optional<std::uint64_t> parent_end);

  // The body of an element of known size (up to limit bytes, else limit_exceeded naming what),
  // into out.
  void read_body(const ebml_element& element, std::size_t limit, std::string_view what, std::vector<std::uint8_t>& out);
  // The body as an unsigned integer of at most 8 bytes.
  std::uint64_t read_uint(const ebml_element& element);
  // Skips the body of an element of known size. Counts read-through bytes against the budget.
  void skip_body(const ebml_element& element);
  // Skips forward to offset, counting read-through bytes against the budget.
  void skip_to(std::uint64_t offset);
  // Throws malformed unless the element has a known size.
  std::uint64_t known_size(const ebml_element& element) const;

  // Starts a new budget: the caller found what it was looking for.
  void reset_budget() noexcept;
  // Element headers read since the reader was made: what bounds a seek's scan.
  std::uint64_t elements_read() const noexcept { return elements_read_; }

  void seek(std::uint64_t offset) { bytes_->seek(offset); }
  std::uint64_t position() const noexcept { return bytes_->position(); }
  bool at_end() { return bytes_->at_end(); }
  bool seekable() const { return bytes_->seekable(); }
  byte_reader& bytes() noexcept { return *bytes_; }
  const std::string& source_name() const { return bytes_->source_name(); }
  [[noreturn]] void fail(media_errc code, std::string_view detail) const { bytes_->fail(code, detail); }

 private:
  std::unique_ptr<byte_reader> bytes_;
  std::uint64_t elements_read_ = 0;
  std::uint64_t elements_since_progress_ = 0;
  std::uint64_t skipped_bytes_since_progress_ = 0;
};

}  // namespace spence::engine
