#include "engine/webm/matroska_cues.hpp"

#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/matroska_time.hpp"

#include <algorithm>

namespace spence::engine {
namespace {

// The cluster position this CueTrackPositions gives for track, if it is about that track.
std::optional<std::uint64_t> position_for(const ebml_children& parent, const ebml_child& positions, std::uint64_t track) {
  ebml_children children = parent.children_of(positions);
  std::optional<std::uint64_t> cue_track;
  std::optional<std::uint64_t> cluster;
  while (const auto child = children.next()) {
    if (child->id == matroska_id::cue_track) cue_track = children.read_uint(*child);
    if (child->id == matroska_id::cue_cluster_position) cluster = children.read_uint(*child);
  }
  return cue_track == track ? cluster : std::nullopt;
}

}  // namespace

std::vector<matroska_cue> parse_matroska_cues(ebml_children cues, std::uint64_t track, std::uint64_t timestamp_scale) {
  std::vector<matroska_cue> index;
  while (const auto point = cues.next()) {
    if (point->id != matroska_id::cue_point) continue;
    ebml_children children = cues.children_of(*point);
    std::optional<std::uint64_t> ticks;
    std::optional<std::uint64_t> cluster;
    while (const auto child = children.next()) {
      if (child->id == matroska_id::cue_time) ticks = children.read_uint(*child);
      if (child->id == matroska_id::cue_track_positions && !cluster) cluster = position_for(children, *child, track);
    }
    if (!ticks) cues.fail(*point, media_errc::malformed, "CuePoint without a CueTime");
    const auto time = matroska_ticks_to_samples(*ticks, timestamp_scale);
    if (!time) cues.fail(*point, media_errc::malformed, "CueTime beyond the representable range");
    if (cluster) index.push_back({*time, *cluster});
  }
  std::sort(index.begin(), index.end(), [](const matroska_cue& a, const matroska_cue& b) {
    return a.time != b.time ? a.time < b.time : a.cluster_position < b.cluster_position;
  });
  return index;
}

}  // namespace spence::engine
