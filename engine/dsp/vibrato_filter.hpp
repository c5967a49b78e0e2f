#pragma once
// Lavalink's vibrato: the pitch wobbles because each channel is read from a delay line whose delay
// swings with a sine, delay = 3 frames + depth * 2 ms * (1 + sin(phase)) / 2, and a moving read
// point shifts the frequency by the rate the delay changes at (f * -d(delay)/dt). Reads between
// frames use 4-point cubic Hermite interpolation; the 3 frames of base delay keep all four points
// in the past, so the filter delays the signal by at least 3 frames.

#include <boost/describe/class.hpp>
#include "engine/dsp/sine_lfo.hpp"

#include <array>
#include <cstddef>
#include <span>

namespace spence::engine {

struct vibrato_settings {
  float frequency = 2.0f;  // Hz, 0 < frequency <= 14
  float depth = 0.5f;      // 0 < depth <= 1; 0 switches the filter off

  bool enabled() const noexcept { return depth != 0.0f; }
};
BOOST_DESCRIBE_STRUCT(vibrato_settings, (), (frequency, depth))

// frequency in (0, 14]; depth in [0, 1]. Lavalink's own range for depth excludes 0, but it never
// builds the filter at depth 0 (not enabled), so a client sending 0 to silence it gets no error.
void validate(const vibrato_settings& settings);

class vibrato_filter {
 public:
  static constexpr double max_frequency = 14;
  static constexpr double base_delay_frames = 3;
  static constexpr double swing_frames = 0.002 * sine_lfo::sample_rate;  // the 2 ms at depth 1

  explicit vibrato_filter(const vibrato_settings& settings);

  // At depth 0 the signal is left untouched, undelayed, as in Lavalink (which builds no filter).
  void process(std::span<float> stereo);
  void reset();

 private:
  // A power of two above the longest delay (3 + 96 frames) plus the interpolation's point before it.
  static constexpr std::size_t history_frames = 128;

  sine_lfo lfo_;
  double swing_;  // depth * swing_frames
  bool enabled_;
  std::array<std::array<float, history_frames>, 2> history_{};
  std::size_t newest_ = 0;  // index of the most recent frame in history_
};

}  // namespace spence::engine
