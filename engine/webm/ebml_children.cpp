#include "engine/webm/ebml_children.hpp"

#include "engine/webm/ebml_element.hpp"
#include "engine/webm/ebml_error.hpp"
#include "engine/webm/ebml_vint.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <bit>

namespace spence::engine {

ebml_children::ebml_children(std::span<const std::uint8_t> body, std::uint64_t offset, std::string_view source)
    : body_(body), offset_(offset), source_(source) {}

std::optional<ebml_child> ebml_children::next() {
  if (at_ == body_.size()) return std::nullopt;
  const ebml_element element = decode_ebml_element(body_.subspan(at_), offset_ + at_, source_);
  if (!element.size)
    throw_ebml_error(media_errc::malformed, source_, element.start,
                     fmt::format("element 0x{:X} has an unknown size, which only Segment and Cluster may have", element.id));
  const std::size_t header_length = static_cast<std::size_t>(element.body_start - element.start);
  if (*element.size > body_.size() - at_ - header_length)
    throw_ebml_error(media_errc::malformed, source_, element.start,
                     fmt::format("element 0x{:X} of {} bytes overruns its parent", element.id, *element.size));
  ebml_child child{element.id, element.start, body_.subspan(at_ + header_length, static_cast<std::size_t>(*element.size)),
                   element.body_start};
  at_ += header_length + child.body.size();
  return child;
}

ebml_children ebml_children::children_of(const ebml_child& child) const {
  return ebml_children(child.body, child.body_offset, source_);
}

std::uint64_t ebml_children::read_uint(const ebml_child& child) const {
  if (child.body.size() > 8) fail(child, media_errc::malformed, fmt::format("integer of {} bytes", child.body.size()));
  return decode_big_endian(child.body);
}

double ebml_children::read_float(const ebml_child& child) const {
  const std::uint64_t bits = decode_big_endian(child.body.first(std::min<std::size_t>(child.body.size(), 8)));
  switch (child.body.size()) {
    case 0: return 0.0;
    case 4: return std::bit_cast<float>(static_cast<std::uint32_t>(bits));
    case 8: return std::bit_cast<double>(bits);
    default: fail(child, media_errc::malformed, fmt::format("float of {} bytes", child.body.size()));
  }
}

std::string_view ebml_children::read_string(const ebml_child& child) const {
  const auto end = std::find(child.body.begin(), child.body.end(), std::uint8_t{0});
  return std::string_view(reinterpret_cast<const char*>(child.body.data()),
                          static_cast<std::size_t>(end - child.body.begin()));
}

void ebml_children::fail(const ebml_child& child, media_errc code, std::string_view detail) const {
  throw_ebml_error(code, source_, child.offset, detail);
}

}  // namespace spence::engine
