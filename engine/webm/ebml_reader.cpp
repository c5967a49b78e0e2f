#include "engine/webm/ebml_reader.hpp"

#include "engine/webm/ebml_error.hpp"
#include "engine/webm/ebml_vint.hpp"
#include "engine/webm/webm_limits.hpp"

#include <fmt/format.h>

namespace spence::engine {

ebml_reader::ebml_reader(std::unique_ptr<byte_reader> bytes) : bytes_(std::move(bytes)) {}

std::optional<ebml_element> ebml_reader::read_element(std::optional<std::uint64_t> parent_end) {
  const auto head = bytes_->peek(max_ebml_header_length);
  if (head.empty()) return std::nullopt;
  ++elements_read_;
  if (++elements_since_progress_ > webm_limits::max_skipped_elements)
    fail(media_errc::limit_exceeded, fmt::format("more than {} elements without an Opus packet", webm_limits::max_skipped_elements));
  const ebml_element element = decode_ebml_element(head, bytes_->position(), bytes_->source_name());
  if (parent_end && (element.body_start > *parent_end || (element.size && *element.size > *parent_end - element.body_start)))
    fail(media_errc::malformed, fmt::format("element 0x{:X} of {} bytes overruns its parent, which ends at byte {}",
                                            element.id, element.size.value_or(0), *parent_end));
  bytes_->skip(element.body_start - element.start);
  return element;
}

std::uint64_t ebml_reader::known_size(const ebml_element& element) const {
  if (!element.size)
    throw_ebml_error(media_errc::malformed, bytes_->source_name(), element.start,
                     fmt::format("element 0x{:X} has an unknown size, which only Segment and Cluster may have", element.id));
  return *element.size;
}

void ebml_reader::read_body(const ebml_element& element, std::size_t limit, std::string_view what,
                            std::vector<std::uint8_t>& out) {
  const std::uint64_t size = known_size(element);
  if (size > limit)
    throw_ebml_error(media_errc::limit_exceeded, bytes_->source_name(), element.start,
                     fmt::format("{} of {} bytes exceeds the limit of {}", what, size, limit));
  out.resize(static_cast<std::size_t>(size));
  bytes_->read_exact(out);
}

std::uint64_t ebml_reader::read_uint(const ebml_element& element) {
  const std::uint64_t size = known_size(element);
  if (size > 8)
    throw_ebml_error(media_errc::malformed, bytes_->source_name(), element.start, fmt::format("integer of {} bytes", size));
  std::uint8_t bytes[8];
  const auto out = std::span(bytes, static_cast<std::size_t>(size));
  bytes_->read_exact(out);
  return decode_big_endian(out);
}

void ebml_reader::skip_body(const ebml_element& element) { skip_to(element.body_start + known_size(element)); }

void ebml_reader::skip_to(std::uint64_t offset) {
  const std::uint64_t n = offset - bytes_->position();
  // A seekable source skips by seeking, which costs nothing however far.
  if (!bytes_->seekable()) {
    skipped_bytes_since_progress_ += n;
    if (skipped_bytes_since_progress_ > webm_limits::max_skipped_bytes)
      fail(media_errc::limit_exceeded, fmt::format("more than {} bytes skipped without an Opus packet", webm_limits::max_skipped_bytes));
  }
  bytes_->skip(n);
}

void ebml_reader::reset_budget() noexcept {
  elements_since_progress_ = 0;
  skipped_bytes_since_progress_ = 0;
}

}  // namespace spence::engine
