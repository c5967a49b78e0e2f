#include "engine/dsp/karaoke_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <array>
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
constexpr double amplitude = 0.4;

std::vector<float> filtered(const karaoke_settings& settings, std::vector<float> signal) {
  karaoke_filter filter(settings);
  filter.process(signal);
  return signal;
}

// |H| of the kept-band resonator y = A m - B y[-1] - C y[-2], from the documented coefficients.
double resonator_gain(const karaoke_settings& s, double hz) {
  const double tau = 2.0 * std::numbers::pi;
  const double c = std::exp(-tau * s.filter_width / test::dsp_rate);
  const double b = -4.0 * c / (1.0 + c) * std::cos(tau * s.filter_band / test::dsp_rate);
  const double a = std::sqrt(1.0 - b * b / (4.0 * c)) * (1.0 - c);
  const std::complex<double> z_inverse = std::polar(1.0, -tau * hz / test::dsp_rate);
  return a / std::abs(1.0 + b * z_inverse + c * z_inverse * z_inverse);
}

// Output amplitude of each channel relative to the input tone's.
std::array<double, 2> gains(const karaoke_settings& settings, double hz, double left, double right) {
  const std::vector<float> out = filtered(settings, stereo_sine(hz, amplitude, second, left, right));
  return {tone_amplitude(out, 0, hz, second / 2) / amplitude,
          tone_amplitude(out, 1, hz, second / 2) / amplitude};
}

TEST(KaraokeFilter, DefaultsAreLavalinks) {
  const karaoke_settings defaults;
  EXPECT_EQ(defaults.level, 1.0f);
  EXPECT_EQ(defaults.mono_level, 1.0f);
  EXPECT_EQ(defaults.filter_band, 220.0f);
  EXPECT_EQ(defaults.filter_width, 100.0f);
  EXPECT_TRUE(defaults.enabled());
}

TEST(KaraokeFilter, RemovesCentrePannedToneButNotSidePannedOne) {
  const karaoke_settings defaults;
  const auto centre = gains(defaults, 1000, 1.0, 1.0);
  const auto side = gains(defaults, 1000, 1.0, 0.0);
  // Centre: L - R cancels and only the resonator's skirt at 1 kHz comes back.
  EXPECT_NEAR(centre[0], resonator_gain(defaults, 1000), 1e-4);
  EXPECT_NEAR(centre[1], resonator_gain(defaults, 1000), 1e-4);
  // Side: the left tone stays and reappears inverted on the right; the kept band adds a little.
  EXPECT_NEAR(side[0], 1.0, 0.1);
  EXPECT_NEAR(side[1], 1.0, 0.1);
  EXPECT_LT(decibels(centre[0]) - decibels(side[0]), -15.0);
}

TEST(KaraokeFilter, KeepsCentrePannedBassInTheFilterBand) {
  const karaoke_settings defaults;
  const auto bass = gains(defaults, 220, 1.0, 1.0);
  EXPECT_NEAR(bass[0], resonator_gain(defaults, 220), 1e-4);
  EXPECT_NEAR(decibels(bass[0]), 0.0, 1.0);
  EXPECT_NEAR(bass[1], bass[0], 1e-9);
}

TEST(KaraokeFilter, LevelScalesTheEffect) {
  const auto half = gains({.level = 0.5f, .mono_level = 0.0f}, 1000, 1.0, 1.0);
  EXPECT_NEAR(half[0], 0.5, 1e-4);  // L - 0.5 R of a centred tone
  const std::vector<float> in = stereo_noise(1.0, 960);
  EXPECT_EQ(filtered({.level = 0.0f}, in), in);
}

TEST(KaraokeFilter, RejectsOutOfRangeSettings) {
  EXPECT_THROW(validate(karaoke_settings{.level = 1.5f}), std::invalid_argument);
  EXPECT_THROW(validate(karaoke_settings{.mono_level = -0.5f}), std::invalid_argument);
  EXPECT_THROW(validate(karaoke_settings{.filter_band = 30000.0f}), std::invalid_argument);
  EXPECT_THROW(validate(karaoke_settings{.filter_width = -1.0f}), std::invalid_argument);
  EXPECT_THROW(validate(karaoke_settings{.filter_width = std::numeric_limits<float>::infinity()}),
               std::invalid_argument);
  EXPECT_THROW(karaoke_filter(karaoke_settings{.level = std::numeric_limits<float>::quiet_NaN()}),
               std::invalid_argument);
  EXPECT_NO_THROW(validate(karaoke_settings{.filter_band = 0.0f, .filter_width = 0.0f}));
}

TEST(KaraokeFilter, ZeroWidthBandStaysSilentAndFinite) {
  const std::vector<float> out = filtered({.filter_width = 0.0f}, stereo_sine(220, amplitude, second, 1, 1));
  for (const float s : out) ASSERT_EQ(s, 0.0f);
}

TEST(KaraokeFilter, ExtremeInputSaturatesInsteadOfOverflowing) {
  constexpr float largest = std::numeric_limits<float>::max();
  const std::vector<float> out = filtered({}, {largest, -largest, -largest, largest, largest, -largest});
  for (const float s : out) EXPECT_TRUE(std::isfinite(s));
  EXPECT_EQ(out[0], largest);
  EXPECT_EQ(out[1], -largest);
}

TEST(KaraokeFilter, BlockSplitInvariant) {
  const std::vector<float> in = stereo_noise(1.0, 4800);
  const std::vector<float> expected = filtered({}, in);
  karaoke_filter split(karaoke_settings{});
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), expected);
}

TEST(KaraokeFilter, NonFiniteInputDoesNotPoisonState) {
  std::vector<float> in = stereo_noise(1.0, 4800);
  std::vector<float> silenced = in;
  in[301] = std::numeric_limits<float>::quiet_NaN();
  in[3000] = -std::numeric_limits<float>::infinity();
  silenced[301] = 0.0f;
  silenced[3000] = 0.0f;
  const std::vector<float> out = filtered({}, in);
  for (const float s : out) ASSERT_TRUE(std::isfinite(s));
  EXPECT_EQ(out, filtered({}, silenced));
}

TEST(KaraokeFilter, ResetForgetsHistory) {
  const std::vector<float> after = stereo_noise(1.0, 960, 2);
  karaoke_filter filter(karaoke_settings{});
  std::vector<float> block = stereo_noise(1.0, 960, 1);
  filter.process(block);
  filter.reset();
  block = after;
  filter.process(block);
  EXPECT_EQ(block, filtered({}, after));
}

}  // namespace
}  // namespace spence::engine
