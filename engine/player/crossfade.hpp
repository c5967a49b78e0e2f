#pragma once
// A crossfade between consecutive tracks: over length_frames the outgoing track's tail fades out
// while the incoming track's head fades in, with equal-power curves, out = cos(pi/2 t), in =
// sin(pi/2 t). Their squares sum to 1, so two uncorrelated tracks (different songs) keep their
// loudness through the fade, where linear curves would dip by 3 dB in the middle.
//
// Frame k of the fade has t = k / length_frames: frame 0 is the outgoing track alone, frame
// length_frames and everything after it the incoming track alone. Each frame's gains come from its
// index, so the output does not depend on how the tracks are split into blocks.

#include <cstddef>
#include <span>

namespace spence::engine {

class crossfade {
 public:
  explicit crossfade(std::size_t length_frames) : length_frames_(length_frames) {}

  // Mixes one block of interleaved stereo. out has incoming's length and may be incoming itself.
  // outgoing may be shorter (the outgoing track ended; the rest of it is silence). Once done(),
  // out is incoming and outgoing is ignored. The sum is clamped to [-1, 1], the encoder's range:
  // correlated material (a gapless album) can reach +3 dB in the middle of the fade. A non-finite
  // sample becomes silence. Throws std::invalid_argument on mismatched lengths.
  void mix(std::span<const float> outgoing, std::span<const float> incoming, std::span<float> out);

  bool done() const noexcept { return progress_frames_ >= length_frames_; }
  std::size_t progress_frames() const noexcept { return progress_frames_; }
  std::size_t length_frames() const noexcept { return length_frames_; }

 private:
  std::size_t length_frames_;
  std::size_t progress_frames_ = 0;  // frames mixed so far, stops at length_frames_
};

}  // namespace spence::engine
