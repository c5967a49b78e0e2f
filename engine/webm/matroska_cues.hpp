#pragma once
// The seek index (Cues): for one track, which Cluster holds the block starting at each cue time.

#include "engine/webm/ebml_children.hpp"

#include <cstdint>
#include <vector>

namespace spence::engine {

struct matroska_cue {
  std::int64_t time = 0;                // 48 kHz samples, on the block timestamp clock
  std::uint64_t cluster_position = 0;   // bytes from the start of the Segment's payload
};

// The cue points that index `track`, sorted by time. Throws media_error(malformed) for a cue
// point without a time or with one beyond the representable range.
std::vector<matroska_cue> parse_matroska_cues(ebml_children cues, std::uint64_t track, std::uint64_t timestamp_scale);

}  // namespace spence::engine
