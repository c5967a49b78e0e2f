#include "engine/dsp/channel_mix_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <vector>

namespace spence::engine {
namespace {

using test::stereo_noise;

std::vector<float> mixed(const channel_mix_settings& settings, std::vector<float> signal) {
  channel_mix_filter filter(settings);
  filter.process(signal);
  return signal;
}

TEST(ChannelMixFilter, DefaultIsDisabledAndIdentity) {
  const channel_mix_settings defaults;
  EXPECT_FALSE(defaults.enabled());
  const std::vector<float> in = stereo_noise(1.0, 960);
  EXPECT_EQ(mixed(defaults, in), in);
  EXPECT_TRUE(channel_mix_settings{.left_to_right = 0.1f}.enabled());
  EXPECT_TRUE(channel_mix_settings{.right_to_right = 0.9f}.enabled());
}

TEST(ChannelMixFilter, SwapsChannels) {
  const std::vector<float> in = stereo_noise(1.0, 960);
  const std::vector<float> out =
      mixed({.left_to_left = 0, .left_to_right = 1, .right_to_left = 1, .right_to_right = 0}, in);
  for (std::size_t i = 0; i < in.size(); i += 2) {
    EXPECT_EQ(out[i], in[i + 1]);
    EXPECT_EQ(out[i + 1], in[i]);
  }
}

TEST(ChannelMixFilter, AllHalvesGiveMono) {
  const std::vector<float> in = stereo_noise(0.9, 960);
  const std::vector<float> out =
      mixed({.left_to_left = 0.5f, .left_to_right = 0.5f, .right_to_left = 0.5f, .right_to_right = 0.5f}, in);
  for (std::size_t i = 0; i < in.size(); i += 2) {
    EXPECT_FLOAT_EQ(out[i], 0.5f * (in[i] + in[i + 1]));
    EXPECT_EQ(out[i], out[i + 1]);
  }
}

TEST(ChannelMixFilter, AppliesAsymmetricMatrixAndClips) {
  const channel_mix_settings matrix{.left_to_left = 0.8f, .left_to_right = 0.3f, .right_to_left = 0.6f,
                                    .right_to_right = 0.2f};
  const std::vector<float> out = mixed(matrix, {0.5f, 0.25f, 1.0f, 1.0f, -1.0f, -1.0f});
  EXPECT_FLOAT_EQ(out[0], 0.8f * 0.5f + 0.6f * 0.25f);
  EXPECT_FLOAT_EQ(out[1], 0.3f * 0.5f + 0.2f * 0.25f);
  EXPECT_EQ(out[2], 1.0f);  // 1.4 clipped
  EXPECT_FLOAT_EQ(out[3], 0.5f);
  EXPECT_EQ(out[4], -1.0f);
  EXPECT_FLOAT_EQ(out[5], -0.5f);
}

TEST(ChannelMixFilter, RejectsFactorsOutsideZeroToOne) {
  EXPECT_THROW(validate(channel_mix_settings{.left_to_left = 1.5f}), std::invalid_argument);
  EXPECT_THROW(validate(channel_mix_settings{.left_to_right = -0.1f}), std::invalid_argument);
  EXPECT_THROW(validate(channel_mix_settings{.right_to_left = std::numeric_limits<float>::quiet_NaN()}),
               std::invalid_argument);
  EXPECT_THROW(channel_mix_filter(channel_mix_settings{.right_to_right = 2.0f}), std::invalid_argument);
  try {
    validate(channel_mix_settings{.right_to_left = 3.0f});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "rightToLeft must be in [0, 1] (got 3)");
  }
}

TEST(ChannelMixFilter, NonFiniteInputBecomesSilence) {
  const std::vector<float> out = mixed({.left_to_left = 0.5f, .left_to_right = 0.5f},
                                       {std::numeric_limits<float>::quiet_NaN(), 0.5f, 0.2f, 0.4f});
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_FLOAT_EQ(out[1], 0.5f);
  EXPECT_FLOAT_EQ(out[2], 0.1f);
  EXPECT_FLOAT_EQ(out[3], 0.5f);
}

TEST(ChannelMixFilter, BlockSplitInvariant) {
  const channel_mix_settings matrix{.left_to_left = 0.3f, .left_to_right = 0.7f, .right_to_left = 0.2f};
  const std::vector<float> in = stereo_noise(1.0, 4800);
  const std::vector<float> expected = mixed(matrix, in);
  channel_mix_filter split(matrix);
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), expected);
}

}  // namespace
}  // namespace spence::engine
