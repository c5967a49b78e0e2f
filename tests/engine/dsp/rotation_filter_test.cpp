#include "engine/dsp/rotation_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"
#include "tests/engine/dsp/tone_envelope.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

using test::dsp_rate;

constexpr double tone_hz = 1000;
constexpr std::size_t window = 48;  // 1 ms: one period of the tone

std::vector<float> rotate(double hz, std::vector<float> signal) {
  rotation_filter filter({.rotation_hz = hz});
  filter.process(signal);
  return signal;
}

// Each channel's gain per millisecond for a centred tone of amplitude 1.
struct pan_track {
  std::vector<double> left, right;
};

pan_track pan_of(double hz, std::size_t frames) {
  const auto out = rotate(hz, test::stereo_sine(tone_hz, 1.0, frames));
  return {test::tone_envelope(out, 0, tone_hz, window), test::tone_envelope(out, 1, tone_hz, window)};
}

TEST(RotationFilter, DefaultIsOffAndUntouched) {
  const rotation_settings defaults;
  EXPECT_EQ(defaults.rotation_hz, 0.0);
  EXPECT_FALSE(defaults.enabled());
  EXPECT_TRUE((rotation_settings{.rotation_hz = 0.2}.enabled()));
  EXPECT_TRUE((rotation_settings{.rotation_hz = -0.2}.enabled()));
  // The bare formula would halve both channels at 0 Hz; Lavalink builds no filter there, so the
  // signal must come out as it went in.
  const auto in = test::stereo_noise(1.0, 4800);
  EXPECT_EQ(rotate(0.0, in), in);
}

TEST(RotationFilter, ChannelsSwingInAntiphaseAtTheRotationRate) {
  const pan_track pan = pan_of(2.0, 3 * 48000);
  ASSERT_EQ(pan.left.size(), pan.right.size());
  const auto [left_low, left_high] = std::minmax_element(pan.left.begin(), pan.left.end());
  const auto [right_low, right_high] = std::minmax_element(pan.right.begin(), pan.right.end());
  EXPECT_NEAR(*left_high, 1.0, 0.002);
  EXPECT_NEAR(*left_low, 0.0, 0.003);
  EXPECT_NEAR(*right_high, 1.0, 0.002);
  EXPECT_NEAR(*right_low, 0.0, 0.003);
  // (1 + sin x)/2 + (1 - sin x)/2: the source moves, its loudness does not.
  for (std::size_t k = 0; k < pan.left.size(); ++k) ASSERT_NEAR(pan.left[k] + pan.right[k], 1.0, 0.002) << "ms " << k;
  // It starts centred, moving to the left first.
  EXPECT_NEAR(pan.left[0], 0.5, 0.01);
  EXPECT_GT(pan.left[20], pan.right[20]);
  for (const auto* channel : {&pan.left, &pan.right}) {
    const auto rising = test::rising_through(*channel, 0.5);
    ASSERT_GE(rising.size(), 5u);
    const double period_ms = test::mean_period(rising) * window * 1000 / dsp_rate;
    EXPECT_NEAR(period_ms, 500.0, 2.0) << "envelope period of a 2 Hz rotation";
  }
}

TEST(RotationFilter, NegativeRateTurnsTheOtherWay) {
  const pan_track forward = pan_of(2.0, 24000), backward = pan_of(-2.0, 24000);
  for (std::size_t k = 0; k < forward.left.size(); ++k) {
    ASSERT_NEAR(backward.left[k], forward.right[k], 1e-4) << "ms " << k;
    ASSERT_NEAR(backward.right[k], forward.left[k], 1e-4) << "ms " << k;
  }
}

TEST(RotationFilter, RejectsNonFiniteRates) {
  for (const double hz : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                          -std::numeric_limits<double>::infinity()}) {
    try {
      validate(rotation_settings{.rotation_hz = hz});
      ADD_FAILURE() << hz << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("rotationHz", 0), 0u) << e.what();
    }
    EXPECT_THROW(rotation_filter(rotation_settings{.rotation_hz = hz}), std::invalid_argument);
  }
  // Absurd but finite rates keep a bounded phase and finite output.
  for (const double hz : {1e300, -1e300, 24000.0}) {
    const auto out = rotate(hz, test::stereo_noise(1.0, 960));
    EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float s) { return std::isfinite(s) && std::abs(s) <= 1.0f; }));
  }
}

TEST(RotationFilter, SplittingIntoBlocksChangesNothing) {
  const auto in = test::stereo_noise(1.0, 72000);
  rotation_filter split({.rotation_hz = 0.37});
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), rotate(0.37, in));
}

TEST(RotationFilter, ResetReturnsToTheCentre) {
  const auto in = test::stereo_noise(1.0, 9600);
  rotation_filter filter({.rotation_hz = 1.5});
  auto warm = test::stereo_noise(1.0, 5555, 3);
  filter.process(warm);
  filter.reset();
  auto out = in;
  filter.process(out);
  EXPECT_EQ(out, rotate(1.5, in));
}

TEST(RotationFilter, ANonFiniteSampleDoesNotOutliveItsFrame) {
  const auto clean = test::stereo_noise(0.5, 4800);
  auto broken = clean;
  broken[3000] = std::numeric_limits<float>::quiet_NaN();
  broken[3001] = -std::numeric_limits<float>::infinity();
  const auto expected = rotate(0.2, clean);
  const auto out = rotate(0.2, broken);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (i != 3000 && i != 3001) ASSERT_EQ(out[i], expected[i]) << "sample " << i;
}

TEST(RotationFilter, EmptyAndSingleFrameBlocksWork) {
  rotation_filter filter({.rotation_hz = 1.0});
  filter.process({});
  std::vector<float> one_frame{0.8f, 0.8f};
  filter.process(one_frame);
  EXPECT_FLOAT_EQ(one_frame[0], 0.4f);  // centred: sin 0 = 0
  EXPECT_FLOAT_EQ(one_frame[1], 0.4f);
}

}  // namespace
}  // namespace spence::engine
