#include "engine/dsp/low_pass_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

namespace spence::engine {
namespace {

using test::decibels;
using test::stereo_noise;
using test::stereo_sine;
using test::tone_amplitude;

constexpr std::size_t second = 48000;

std::vector<float> smoothed(const low_pass_settings& settings, std::vector<float> signal) {
  low_pass_filter filter(settings);
  filter.process(signal);
  return signal;
}

// |H| of v[n] = v[n-1] + (x[n] - v[n-1]) / s, i.e. H(z) = a / (1 - (1 - a) z^-1) with a = 1/s.
double expected_gain(double smoothing, double hz) {
  const double a = 1.0 / smoothing;
  const std::complex<double> z_inverse = std::polar(1.0, -2.0 * std::numbers::pi * hz / test::dsp_rate);
  return a / std::abs(1.0 - (1.0 - a) * z_inverse);
}

double measured_gain(const low_pass_settings& settings, double hz, std::size_t channel) {
  const std::vector<float> out = smoothed(settings, stereo_sine(hz, 0.5, second));
  return tone_amplitude(out, channel, hz, second / 2) / 0.5;
}

TEST(LowPassFilter, DefaultCutsTrebleAndKeepsBass) {
  const low_pass_settings defaults;
  EXPECT_EQ(defaults.smoothing, 20.0f);
  EXPECT_TRUE(defaults.enabled());
  for (const std::size_t channel : {0u, 1u}) {
    const double bass = measured_gain(defaults, 100, channel);
    const double treble = measured_gain(defaults, 10000, channel);
    EXPECT_NEAR(decibels(bass), decibels(expected_gain(20, 100)), 0.01);
    EXPECT_NEAR(decibels(treble), decibels(expected_gain(20, 10000)), 0.01);
    EXPECT_GT(decibels(bass), -0.5);
    EXPECT_LT(decibels(treble) - decibels(bass), -25.0);
  }
}

TEST(LowPassFilter, MoreSmoothingCutsMore) {
  const double light = measured_gain({.smoothing = 5}, 5000, 0);
  const double heavy = measured_gain({.smoothing = 100}, 5000, 0);
  EXPECT_NEAR(decibels(light), decibels(expected_gain(5, 5000)), 0.01);
  EXPECT_NEAR(decibels(heavy), decibels(expected_gain(100, 5000)), 0.01);
  EXPECT_LT(heavy, light / 10);
}

TEST(LowPassFilter, SmoothingOfOneOrLessIsDisabledAndPassesThrough) {
  const std::vector<float> in = stereo_noise(1.0, 960);
  for (const float smoothing : {1.0f, 0.5f, 0.0f, -3.0f}) {
    const low_pass_settings settings{.smoothing = smoothing};
    EXPECT_FALSE(settings.enabled()) << smoothing;
    EXPECT_EQ(smoothed(settings, in), in) << smoothing;
  }
  EXPECT_TRUE(low_pass_settings{.smoothing = 1.01f}.enabled());
}

TEST(LowPassFilter, RejectsNonFiniteSmoothing) {
  EXPECT_THROW(validate(low_pass_settings{.smoothing = std::numeric_limits<float>::quiet_NaN()}),
               std::invalid_argument);
  EXPECT_THROW(low_pass_filter(low_pass_settings{.smoothing = std::numeric_limits<float>::infinity()}),
               std::invalid_argument);
}

TEST(LowPassFilter, ChannelsAreSmoothedIndependently) {
  const std::vector<float> out = smoothed({}, stereo_sine(440, 0.5, second, 1.0, 0.0));
  for (std::size_t n = 0; n < second; ++n) ASSERT_EQ(out[2 * n + 1], 0.0f);
}

TEST(LowPassFilter, BlockSplitInvariant) {
  const std::vector<float> in = stereo_noise(1.0, 4800);
  const std::vector<float> expected = smoothed({}, in);
  low_pass_filter split(low_pass_settings{});
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), expected);
}

TEST(LowPassFilter, NonFiniteInputDoesNotPoisonState) {
  std::vector<float> in = stereo_noise(1.0, 4800);
  std::vector<float> silenced = in;
  in[101] = std::numeric_limits<float>::quiet_NaN();
  in[2000] = std::numeric_limits<float>::infinity();
  silenced[101] = 0.0f;
  silenced[2000] = 0.0f;
  const std::vector<float> out = smoothed({}, in);
  for (const float s : out) ASSERT_TRUE(std::isfinite(s));
  EXPECT_EQ(out, smoothed({}, silenced));
}

TEST(LowPassFilter, ResetForgetsHistory) {
  const std::vector<float> before = stereo_noise(1.0, 960, 1);
  const std::vector<float> after = stereo_noise(1.0, 960, 2);
  low_pass_filter filter(low_pass_settings{});
  std::vector<float> block = before;
  filter.process(block);
  filter.reset();
  block = after;
  filter.process(block);
  EXPECT_EQ(block, smoothed({}, after));
}

}  // namespace
}  // namespace spence::engine
