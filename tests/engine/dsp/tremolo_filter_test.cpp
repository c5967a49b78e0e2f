#include "engine/dsp/tremolo_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"
#include "tests/engine/dsp/tone_envelope.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

using test::dsp_rate;

constexpr double tone_hz = 1000;
constexpr std::size_t window = 48;  // 1 ms: one period of the tone, an envelope point per ms

std::vector<float> tremolo(const tremolo_settings& settings, std::vector<float> signal) {
  tremolo_filter filter(settings);
  filter.process(signal);
  return signal;
}

TEST(TremoloFilter, DefaultsAreLavalinks) {
  const tremolo_settings defaults;
  EXPECT_EQ(defaults.frequency, 2.0f);
  EXPECT_EQ(defaults.depth, 0.5f);
  EXPECT_TRUE(defaults.enabled());
  EXPECT_FALSE((tremolo_settings{.frequency = 2.0f, .depth = 0.0f}.enabled()));
}

TEST(TremoloFilter, MeasuredDepthAndRateAreTheSettings) {
  const tremolo_settings settings{.frequency = 4.0f, .depth = 0.8f};
  const double amplitude = 0.5;
  const auto out = tremolo(settings, test::stereo_sine(tone_hz, amplitude, 3 * 48000));
  for (std::size_t channel = 0; channel < 2; ++channel) {
    std::vector<double> gain = test::tone_envelope(out, channel, tone_hz, window);
    for (double& g : gain) g /= amplitude;
    const auto [low, high] = std::minmax_element(gain.begin(), gain.end());
    EXPECT_NEAR(*high, 1.0, 0.002);
    EXPECT_NEAR(1.0 - *low / *high, 0.8, 0.003) << "measured modulation depth";
    // The gain starts halfway (sin 0) and rises first.
    EXPECT_NEAR(gain[0], 0.6, 0.01);
    EXPECT_GT(gain[10], gain[0]);
    const auto rising = test::rising_through(gain, 0.6);
    ASSERT_GE(rising.size(), 10u);
    const double period_ms = test::mean_period(rising) * window * 1000 / dsp_rate;
    EXPECT_NEAR(1000 / period_ms, 4.0, 0.02) << "measured modulation rate in Hz";
  }
}

TEST(TremoloFilter, EveryFrameGetsTheFormulasGainOnBothChannels) {
  const tremolo_settings settings{.frequency = 7.5f, .depth = 1.0f};
  const auto in = test::stereo_noise(0.9, 48000);
  const auto out = tremolo(settings, in);
  for (std::size_t n = 0; n < in.size() / 2; ++n) {
    const double gain = 0.5 + 0.5 * std::sin(2 * std::numbers::pi * 7.5 * static_cast<double>(n) / dsp_rate);
    ASSERT_NEAR(out[2 * n], in[2 * n] * gain, 1e-6) << "frame " << n;
    ASSERT_NEAR(out[2 * n + 1], in[2 * n + 1] * gain, 1e-6) << "frame " << n;
  }
}

TEST(TremoloFilter, DepthZeroLeavesTheSignalUntouched) {
  const auto in = test::stereo_noise(1.0, 4800);
  EXPECT_EQ(tremolo({.frequency = 3.0f, .depth = 0.0f}, in), in);
}

TEST(TremoloFilter, RejectsOutOfRangeSettings) {
  const float nan = std::numeric_limits<float>::quiet_NaN(), inf = std::numeric_limits<float>::infinity();
  for (const float frequency : {0.0f, -1.0f, nan, inf}) {
    try {
      validate(tremolo_settings{.frequency = frequency});
      ADD_FAILURE() << "frequency " << frequency << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("frequency", 0), 0u) << e.what();
    }
    EXPECT_THROW(tremolo_filter(tremolo_settings{.frequency = frequency}), std::invalid_argument);
  }
  for (const float depth : {-0.01f, 1.01f, nan, inf}) {
    try {
      validate(tremolo_settings{.depth = depth});
      ADD_FAILURE() << "depth " << depth << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("depth", 0), 0u) << e.what();
    }
  }
  EXPECT_NO_THROW(validate(tremolo_settings{.frequency = 0.01f, .depth = 1.0f}));
  EXPECT_NO_THROW(validate(tremolo_settings{.frequency = 20000.0f, .depth = 0.0f}));
}

TEST(TremoloFilter, SplittingIntoBlocksChangesNothing) {
  const tremolo_settings settings{.frequency = 5.3f, .depth = 0.7f};
  const auto in = test::stereo_noise(1.0, 72000);
  tremolo_filter split(settings);
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), tremolo(settings, in));
}

TEST(TremoloFilter, ResetRestartsTheModulation) {
  const tremolo_settings settings{.frequency = 3.0f, .depth = 0.9f};
  const auto in = test::stereo_noise(1.0, 9600);
  tremolo_filter filter(settings);
  auto warm = test::stereo_noise(1.0, 7777, 3);
  filter.process(warm);
  filter.reset();
  auto out = in;
  filter.process(out);
  EXPECT_EQ(out, tremolo(settings, in));
}

TEST(TremoloFilter, ANonFiniteSampleDoesNotOutliveItsFrame) {
  const tremolo_settings settings{.frequency = 2.0f, .depth = 0.5f};
  const auto clean = test::stereo_noise(0.5, 4800);
  auto broken = clean;
  broken[2000] = std::numeric_limits<float>::quiet_NaN();
  broken[2001] = std::numeric_limits<float>::infinity();
  const auto expected = tremolo(settings, clean);
  const auto out = tremolo(settings, broken);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (i != 2000 && i != 2001) ASSERT_EQ(out[i], expected[i]) << "sample " << i;
}

TEST(TremoloFilter, EmptyAndSingleFrameBlocksWork) {
  tremolo_filter filter({});
  filter.process({});
  std::vector<float> one_frame{0.25f, -0.25f};
  filter.process(one_frame);
  EXPECT_FLOAT_EQ(one_frame[0], 0.25f * 0.75f);  // gain 1 - depth/2 at phase 0
  EXPECT_FLOAT_EQ(one_frame[1], -0.25f * 0.75f);
}

}  // namespace
}  // namespace spence::engine
