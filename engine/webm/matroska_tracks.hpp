#pragma once
// Chooses the track to play from a Tracks element: the first audio track whose CodecID is A_OPUS.

#include "engine/opus_head.hpp"
#include "engine/webm/ebml_children.hpp"

#include <cstdint>
#include <optional>

namespace spence::engine {

struct matroska_opus_track {
  std::uint64_t number = 0;  // what the track's blocks carry
  opus_head head;            // from CodecPrivate
  // CodecDelay in 48 kHz samples when the track states it (else the player uses pre-skip).
  std::optional<std::uint32_t> codec_delay;
};

// Throws media_error: unsupported_codec naming the codec when the audio tracks hold no Opus (or
// there is no audio track), malformed when the Opus track's entries contradict the format.
matroska_opus_track select_opus_track(ebml_children tracks);

}  // namespace spence::engine
