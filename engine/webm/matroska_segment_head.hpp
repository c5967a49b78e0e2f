#pragma once
// Everything before the first Cluster: the EBML header (is this WebM or Matroska?), the Segment,
// Info (timestamp scale, duration), Tracks (the Opus track) and where the Cues are.

#include "engine/webm/ebml_reader.hpp"
#include "engine/webm/matroska_segment.hpp"
#include "engine/webm/matroska_tracks.hpp"

#include <cstdint>
#include <optional>

namespace spence::engine {

struct matroska_segment_head {
  matroska_segment segment;
  std::uint64_t timestamp_scale = 0;     // nanoseconds per tick
  std::optional<std::int64_t> duration;  // 48 kHz samples, on the block timestamp clock
  matroska_opus_track track;
  std::optional<std::uint64_t> cues_position;  // stream offset of the Cues element
  // The first Cluster's header, already consumed: the reader stands at its payload. nullopt when
  // the Segment holds no Cluster.
  std::optional<ebml_element> first_cluster;
};

// Reads from the first byte of the stream up to the first Cluster. Throws media_error:
// unsupported_format for a stream that is not EBML or whose DocType is neither webm nor matroska,
// unsupported_codec when no audio track is Opus, malformed, truncated or limit_exceeded otherwise.
matroska_segment_head read_matroska_segment_head(ebml_reader& reader);

}  // namespace spence::engine
