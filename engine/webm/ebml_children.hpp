#pragma once
// The children of a master element already read into memory (EBML header, SeekHead, Info,
// Tracks, Cues), with the payload decoders of RFC 8794 section 7. Every read is checked against
// the bytes held, so nothing here allocates or reads from a size the input declares.

#include "engine/media_error.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace spence::engine {

struct ebml_child {
  std::uint32_t id = 0;
  std::uint64_t offset = 0;  // stream offset of the child's header
  std::span<const std::uint8_t> body;
  std::uint64_t body_offset = 0;
};

class ebml_children {
 public:
  // body sits at stream offset `offset`; source names the stream in errors.
  ebml_children(std::span<const std::uint8_t> body, std::uint64_t offset, std::string_view source);

  // The next child, or nullopt after the last. Throws media_error(malformed) for a child that
  // overruns the parent or has an unknown size (only Segment and Cluster may).
  std::optional<ebml_child> next();

  ebml_children children_of(const ebml_child& child) const;
  // An unsigned integer of at most 8 bytes.
  std::uint64_t read_uint(const ebml_child& child) const;
  // A float of 0, 4 or 8 bytes.
  double read_float(const ebml_child& child) const;
  // An ASCII or UTF-8 string without its trailing NUL padding.
  std::string_view read_string(const ebml_child& child) const;

  std::string_view source() const noexcept { return source_; }
  [[noreturn]] void fail(const ebml_child& child, media_errc code, std::string_view detail) const;

 private:
  std::span<const std::uint8_t> body_;
  std::uint64_t offset_;
  std::string_view source_;
  std::size_t at_ = 0;
};

}  // namespace spence::engine
