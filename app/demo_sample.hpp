#pragma once
// The demo's sample, generated rather than bundled (no licence to track, nothing large in the
// repository): a short arpeggio of soft sine notes, encoded by libopus as a 48 kHz stereo Ogg
// Opus file in memory, so the player can pass its packets straight through.

#include <cstdint>
#include <vector>

namespace spence::app {

// `seconds` of music (at least one note of 0.25 s), as the bytes of an Ogg Opus file.
std::vector<std::uint8_t> demo_sample(double seconds);

}  // namespace spence::app
