#include "engine/webm/matroska_segment.hpp"

#include "engine/webm/matroska_ids.hpp"

#include <fmt/format.h>

namespace spence::engine {

bool is_matroska_segment_level(std::uint32_t id) noexcept {
  switch (id) {
    case matroska_id::ebml:
    case matroska_id::segment:
    case matroska_id::seek_head:
    case matroska_id::info:
    case matroska_id::tracks:
    case matroska_id::cues:
    case matroska_id::cluster:
    case matroska_id::tags:
    case matroska_id::chapters:
    case matroska_id::attachments: return true;
    default: return false;
  }
}

std::optional<ebml_element> as_segment_child(const matroska_segment& segment, const ebml_element& element) noexcept {
  if (!segment.end && (element.id == matroska_id::ebml || element.id == matroska_id::segment)) return std::nullopt;
  return element;
}

std::optional<ebml_element> read_segment_child(ebml_reader& reader, const matroska_segment& segment) {
  if (segment.end && reader.position() >= *segment.end) return std::nullopt;
  const auto element = reader.read_element(segment.end);
  if (!element) {
    if (segment.end)
      reader.fail(media_errc::truncated, fmt::format("the input ends before the Segment, which ends at byte {}", *segment.end));
    return std::nullopt;
  }
  return as_segment_child(segment, *element);
}

}  // namespace spence::engine
