#pragma once
// The sine oscillator that modulates tremolo, vibrato and rotation, stepped once per 48 kHz frame.

#include <cmath>
#include <numbers>

namespace spence::engine {

class sine_lfo {
 public:
  static constexpr double sample_rate = 48000;

  // Any finite rate, negative ones running backwards. Only the fraction of a turn per frame is kept,
  // so an absurd rate cannot overflow and the phase needs one correction per frame at most.
  explicit sine_lfo(double hz) noexcept : step_(two_pi * std::fmod(hz / sample_rate, 1.0)) {}

  // sin(phase) of this frame; the phase then moves on to the next frame.
  double next() noexcept {
    const double value = std::sin(phase_);
    phase_ += step_;
    if (phase_ >= two_pi)
      phase_ -= two_pi;
    else if (phase_ < 0)
      phase_ += two_pi;
    return value;
  }

  void reset() noexcept { phase_ = 0; }

 private:
  static constexpr double two_pi = 2 * std::numbers::pi;
  double step_;
  double phase_ = 0;  // kept in [0, 2pi): a growing phase would lose precision over a long track
};

}  // namespace spence::engine
