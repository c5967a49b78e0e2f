#pragma once
// The slow loudness changes of a steady tone (tremolo, rotation): its amplitude in consecutive
// windows of whole periods, and where such an envelope rises through a level.

#include "tests/engine/dsp/stereo_signal.hpp"

#include <cstddef>
#include <span>
#include <vector>

namespace spence::test {

// Amplitude of the `hz` tone in one channel per window of `window` frames (a whole number of its
// periods); window k is centred on frame k * window + window / 2.
inline std::vector<double> tone_envelope(std::span<const float> stereo, std::size_t channel, double hz,
                                         std::size_t window) {
  std::vector<double> envelope;
  for (std::size_t at = 0; (at + window) * 2 <= stereo.size(); at += window)
    envelope.push_back(tone_amplitude(stereo.subspan(at * 2, window * 2), channel, hz, 0));
  return envelope;
}

// Indices k where values[k - 1] < level <= values[k].
inline std::vector<std::size_t> rising_through(std::span<const double> values, double level) {
  std::vector<std::size_t> at;
  for (std::size_t k = 1; k < values.size(); ++k)
    if (values[k - 1] < level && values[k] >= level) at.push_back(k);
  return at;
}

// The mean distance between successive rising crossings, in windows.
inline double mean_period(std::span<const std::size_t> rising) {
  return static_cast<double>(rising.back() - rising.front()) / static_cast<double>(rising.size() - 1);
}

}  // namespace spence::test
