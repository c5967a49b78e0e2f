#pragma once
// The Segment: where its payload starts (SeekHead and Cues positions count from there) and where
// it ends. A live stream leaves its size unknown: it then ends with the stream, or where the next
// EBML stream begins.

#include "engine/webm/ebml_reader.hpp"

#include <cstdint>
#include <optional>

namespace spence::engine {

struct matroska_segment {
  std::uint64_t data_start = 0;
  std::optional<std::uint64_t> end;
};

// Whether id belongs at the Segment's level or above: such an element cannot be a Cluster's child,
// so it ends a Cluster of unknown size.
bool is_matroska_segment_level(std::uint32_t id) noexcept;

// An element read at the Segment's level, or nullopt when it ends a Segment of unknown size (a new
// EBML header or Segment: the next stream).
std::optional<ebml_element> as_segment_child(const matroska_segment& segment, const ebml_element& element) noexcept;

// The next child of the Segment, or nullopt where the Segment ends. Throws media_error(truncated)
// when the stream ends before a Segment of known size does.
std::optional<ebml_element> read_segment_child(ebml_reader& reader, const matroska_segment& segment);

}  // namespace spence::engine
