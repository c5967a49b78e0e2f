#include "engine/dsp/vibrato_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

using test::dsp_rate;
constexpr double pi = std::numbers::pi;

constexpr double tone_hz = 1000;
constexpr std::size_t period = 48;  // frames per period of the tone

std::vector<float> vibrato(const vibrato_settings& settings, std::vector<float> signal) {
  vibrato_filter filter(settings);
  filter.process(signal);
  return signal;
}

// Instantaneous frequency minus tone_hz of one channel, per frame. The channel is shifted down by
// tone_hz and averaged twice over one tone period, which removes the image at twice the tone, then
// the phase advance over one more period gives the frequency. Entry n describes frame n - lag.
constexpr std::size_t lag = period - 1 + period / 2;

std::vector<double> frequency_deviation(std::span<const float> stereo, std::size_t channel) {
  const std::size_t frames = stereo.size() / 2;
  std::vector<std::complex<double>> shifted(frames);
  for (std::size_t n = 0; n < frames; ++n)
    shifted[n] = static_cast<double>(stereo[2 * n + channel]) * std::polar(1.0, -2 * pi * tone_hz * n / dsp_rate);
  const auto moving_sum = [](const std::vector<std::complex<double>>& x) {
    std::vector<std::complex<double>> y(x.size());
    std::complex<double> sum;
    for (std::size_t n = 0; n < x.size(); ++n) {
      sum += x[n];
      if (n >= period) sum -= x[n - period];
      y[n] = sum;
    }
    return y;
  };
  const auto smooth = moving_sum(moving_sum(shifted));
  std::vector<double> deviation(frames, 0.0);
  for (std::size_t n = 3 * period; n < frames; ++n)
    deviation[n] = std::arg(smooth[n] * std::conj(smooth[n - period])) / period * dsp_rate / (2 * pi);
  return deviation;
}

// The delay swings by depth * 96 * (1 + sin(2 pi f t)) / 2 frames; reading a tone through a delay
// changing at d(delay)/dt frames per frame shifts it by -tone * d(delay)/dt.
double expected_deviation(const vibrato_settings& s, double frame) {
  const double swing = s.depth * 0.002 * dsp_rate;
  const double lfo_step = 2 * pi * s.frequency / dsp_rate;
  return -tone_hz * swing / 2 * lfo_step * std::cos(lfo_step * frame);
}

TEST(VibratoFilter, DefaultsAreLavalinks) {
  const vibrato_settings defaults;
  EXPECT_EQ(defaults.frequency, 2.0f);
  EXPECT_EQ(defaults.depth, 0.5f);
  EXPECT_TRUE(defaults.enabled());
  EXPECT_FALSE((vibrato_settings{.frequency = 2.0f, .depth = 0.0f}.enabled()));
  const auto in = test::stereo_noise(1.0, 4800);
  EXPECT_EQ(vibrato({.frequency = 5.0f, .depth = 0.0f}, in), in) << "depth 0 is off: untouched, not delayed";
}

TEST(VibratoFilter, MeasuredPitchDeviationIsTheDelaySlope) {
  for (const vibrato_settings s : {vibrato_settings{.frequency = 5.0f, .depth = 1.0f}, vibrato_settings{},
                                   vibrato_settings{.frequency = 14.0f, .depth = 0.3f}}) {
    SCOPED_TRACE(testing::Message() << "frequency " << s.frequency << " depth " << s.depth);
    const auto out = vibrato(s, test::stereo_sine(tone_hz, 0.5, 2 * 48000));
    const double peak = tone_hz * s.depth * 0.002 * pi * s.frequency;  // Hz
    for (std::size_t channel = 0; channel < 2; ++channel) {
      const auto deviation = frequency_deviation(out, channel);
      double worst = 0, highest = 0, lowest = 0;
      for (std::size_t n = 4 * period; n < deviation.size(); ++n) {
        worst = std::max(worst, std::abs(deviation[n] - expected_deviation(s, static_cast<double>(n - lag))));
        highest = std::max(highest, deviation[n]);
        lowest = std::min(lowest, deviation[n]);
      }
      EXPECT_LT(worst, 0.01 * peak) << "largest mismatch with the theoretical deviation, in Hz";
      EXPECT_NEAR(highest, peak, 0.005 * peak);
      EXPECT_NEAR(lowest, -peak, 0.005 * peak);
    }
  }
}

TEST(VibratoFilter, KeepsTheLoudnessOfATone) {
  const auto in = test::stereo_sine(tone_hz, 0.5, 48000);
  const auto out = vibrato({.frequency = 14.0f, .depth = 1.0f}, in);
  for (std::size_t channel = 0; channel < 2; ++channel) {
    // Frequency moves the tone's energy around 1 kHz; the loudness lives in the RMS.
    double energy = 0;
    for (std::size_t n = 4800; n < out.size() / 2; ++n) energy += out[2 * n + channel] * out[2 * n + channel];
    const double rms = std::sqrt(energy / static_cast<double>(out.size() / 2 - 4800));
    EXPECT_NEAR(rms, 0.5 / std::sqrt(2.0), 0.001);
  }
}

TEST(VibratoFilter, DelaysByTheBaseDelayPlusTheSwing) {
  // At phase 0 the delay is 3 + depth * 96 / 2 frames; a click at frame 0 comes out there, spread
  // over the interpolation's few frames, and nowhere else.
  std::vector<float> click(2 * 256, 0.0f);
  click[0] = click[1] = 1.0f;
  const auto out = vibrato({.frequency = 1.0f, .depth = 1.0f}, click);
  for (std::size_t n = 0; n < 256; ++n)
    if (n < 48 || n > 55) EXPECT_EQ(out[2 * n], 0.0f) << "frame " << n;
  const auto loudest = std::max_element(out.begin(), out.end()) - out.begin();
  EXPECT_NEAR(static_cast<double>(loudest / 2), 51.0, 1.0);
}

TEST(VibratoFilter, RejectsOutOfRangeSettings) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (const float frequency : {0.0f, -1.0f, 14.01f, nan, inf}) {
    try {
      validate(vibrato_settings{.frequency = frequency});
      ADD_FAILURE() << "frequency " << frequency << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("frequency", 0), 0u) << e.what();
    }
    EXPECT_THROW(vibrato_filter(vibrato_settings{.frequency = frequency}), std::invalid_argument);
  }
  for (const float depth : {-0.01f, 1.01f, nan, inf}) {
    try {
      validate(vibrato_settings{.depth = depth});
      ADD_FAILURE() << "depth " << depth << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("depth", 0), 0u) << e.what();
    }
  }
  EXPECT_NO_THROW(validate(vibrato_settings{.frequency = 14.0f, .depth = 1.0f}));
  EXPECT_NO_THROW(validate(vibrato_settings{.frequency = 0.01f, .depth = 0.0f}));
}

TEST(VibratoFilter, SplittingIntoBlocksChangesNothing) {
  const vibrato_settings s{.frequency = 6.1f, .depth = 0.8f};
  const auto in = test::stereo_noise(1.0, 72000);
  vibrato_filter split(s);
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), vibrato(s, in));
}

TEST(VibratoFilter, ResetForgetsTheHistory) {
  const vibrato_settings s{.frequency = 3.0f, .depth = 1.0f};
  const auto in = test::stereo_noise(1.0, 9600);
  vibrato_filter filter(s);
  auto warm = test::stereo_noise(1.0, 3333, 3);
  filter.process(warm);
  filter.reset();
  auto out = in;
  filter.process(out);
  EXPECT_EQ(out, vibrato(s, in));
}

TEST(VibratoFilter, NonFiniteSamplesAreHeardAsSilence) {
  const vibrato_settings s{.frequency = 9.0f, .depth = 1.0f};
  const auto clean = test::stereo_noise(0.5, 4800);
  auto broken = clean, silenced = clean;
  for (const std::size_t i : {1000u, 1001u, 1003u, 2500u}) {
    broken[i] = i % 2 ? std::numeric_limits<float>::infinity() : std::numeric_limits<float>::quiet_NaN();
    silenced[i] = 0.0f;
  }
  const auto out = vibrato(s, broken);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float x) { return std::isfinite(x); }));
  EXPECT_EQ(out, vibrato(s, silenced));
}

TEST(VibratoFilter, ExtremeSamplesStayFinite) {
  // Full-range floats in pairs of frames of alternating sign: the interpolated curve overshoots them.
  std::vector<float> extreme(2 * 4800);
  for (std::size_t i = 0; i < extreme.size(); ++i)
    extreme[i] = (i / 4) % 2 ? std::numeric_limits<float>::max() : -std::numeric_limits<float>::max();
  const auto out = vibrato({.frequency = 14.0f, .depth = 1.0f}, extreme);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float x) { return std::isfinite(x); }));
}

TEST(VibratoFilter, EmptyAndSingleFrameBlocksWork) {
  vibrato_filter filter({});
  filter.process({});
  std::vector<float> one_frame{0.5f, -0.5f};
  filter.process(one_frame);
  EXPECT_EQ(one_frame, (std::vector<float>{0.0f, 0.0f})) << "nothing has come through the delay yet";
}

}  // namespace
}  // namespace spence::engine
