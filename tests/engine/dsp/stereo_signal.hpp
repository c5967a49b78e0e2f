#pragma once
// Test signals and measurements for the DSP filters: stereo sines and noise, a tone's amplitude
// in one channel (a single-bin DFT over whole periods), and running a filter in uneven blocks.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <random>
#include <span>
#include <vector>

namespace spence::test {

inline constexpr double dsp_rate = 48000.0;

// Interleaved stereo sine of `frames` frames; each channel gets amplitude * its gain.
inline std::vector<float> stereo_sine(double hz, double amplitude, std::size_t frames, double left_gain = 1.0,
                                      double right_gain = 1.0) {
  std::vector<float> out(frames * 2);
  for (std::size_t n = 0; n < frames; ++n) {
    const double s = amplitude * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(n) / dsp_rate);
    out[2 * n] = static_cast<float>(s * left_gain);
    out[2 * n + 1] = static_cast<float>(s * right_gain);
  }
  return out;
}

// Independent uniform noise in both channels, reproducible.
inline std::vector<float> stereo_noise(double amplitude, std::size_t frames, unsigned seed = 7) {
  std::mt19937 generator(seed);
  std::uniform_real_distribution<float> sample(static_cast<float>(-amplitude), static_cast<float>(amplitude));
  std::vector<float> out(frames * 2);
  for (float& s : out) s = sample(generator);
  return out;
}

// Amplitude of the `hz` component of one channel over frames [from, end). Exact for tones whose
// period count over that range is whole (integer Hz over whole seconds).
inline double tone_amplitude(std::span<const float> stereo, std::size_t channel, double hz,
                             std::size_t from) {
  double re = 0.0;
  double im = 0.0;
  const std::size_t frames = stereo.size() / 2;
  for (std::size_t n = from; n < frames; ++n) {
    const double phase = 2.0 * std::numbers::pi * hz * static_cast<double>(n) / dsp_rate;
    re += stereo[2 * n + channel] * std::cos(phase);
    im += stereo[2 * n + channel] * std::sin(phase);
  }
  return 2.0 * std::hypot(re, im) / static_cast<double>(frames - from);
}

inline double decibels(double ratio) { return 20.0 * std::log10(ratio); }

// Runs the filter over a copy of `signal` cut into blocks of the given frame counts, cycling
// through them (0 and 1 frame included), so state has to carry across every boundary.
template <typename Filter>
std::vector<float> process_in_blocks(Filter& filter, std::vector<float> signal,
                                     std::span<const std::size_t> frames) {
  std::size_t at = 0;
  for (std::size_t i = 0; at < signal.size(); ++i) {
    const std::size_t size = std::min(frames[i % frames.size()] * 2, signal.size() - at);
    filter.process(std::span(signal).subspan(at, size));
    at += size;
  }
  return signal;
}

inline constexpr std::size_t uneven_blocks[] = {960, 0, 1, 7, 480, 0, 1, 1333, 2};

}  // namespace spence::test
