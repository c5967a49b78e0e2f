#pragma once
// A gain that never jumps: a new target is reached over a ramp of frames instead of at once, so
// pause, resume, stop, seek and volume changes do not put a step (a click) into the waveform.
//
// The curve is linear in amplitude. A de-click ramp is too short to be heard as a fade; what is heard
// is the waveform's largest discontinuity, and a straight line spreads the change evenly, so no gain
// step between frames is larger than |target - start| / ramp_frames (the smallest possible maximum
// for that length). It also reaches 0 exactly, which a curve linear in decibels never does.
//
// The gain of every frame is computed from the frame's index within the ramp, never accumulated, so
// the output does not depend on how the signal is split into blocks.

#include <cstddef>
#include <span>

namespace spence::engine {

// 5 ms (240 frames at 48 kHz): with a full swing the gain moves by at most 1/240 per frame, which
// keeps a full-scale signal's step below 0.5% of full scale and the ramp's own spectrum below about
// 200 Hz (1 / 5 ms), where it is masked by the music; yet it is far shorter than the tens of
// milliseconds at which a change is heard as a fade rather than as instant, and a quarter of the
// player's 960-frame block, so a pause finishes inside the block in which it takes effect.
inline constexpr std::size_t declick_ramp_frames = 240;

class gain_ramp {
 public:
  // Throws std::invalid_argument unless initial is finite and >= 0.
  explicit gain_ramp(float initial = 1.0f);

  // Moves from the current gain (mid-ramp too, so a retarget never jumps) to `gain`, reaching it
  // exactly on the ramp_frames-th frame applied from now. ramp_frames 0 jumps. Throws
  // std::invalid_argument unless gain is finite and >= 0.
  void set_target(float gain, std::size_t ramp_frames);

  // Multiplies each interleaved stereo frame (both channels alike) by the gain of that frame and
  // advances the ramp. A non-finite sample becomes silence.
  void apply(std::span<float> stereo);

  // The gain the last applied frame got (the start gain before any frame of the ramp).
  float current() const noexcept;
  float target() const noexcept { return target_; }
  bool settled() const noexcept { return elapsed_ >= ramp_frames_; }

 private:
  double gain_at(std::size_t elapsed) const noexcept;

  double start_;  // in double, so a retarget starts from exactly the gain the last frame got
  float target_;
  std::size_t ramp_frames_ = 0;
  std::size_t elapsed_ = 0;  // frames of the current ramp applied so far, stops at ramp_frames_
};

}  // namespace spence::engine
