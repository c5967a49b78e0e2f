#include "engine/dsp/volume_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace spence::engine {
namespace {

using test::stereo_noise;

TEST(VolumeFilter, DefaultIsDisabledAndIdentity) {
  const volume_settings defaults;
  EXPECT_FALSE(defaults.enabled());
  volume_filter filter(defaults);
  const std::vector<float> in = stereo_noise(1.0, 960);
  std::vector<float> out = in;
  filter.process(out);
  EXPECT_EQ(out, in);
}

TEST(VolumeFilter, ScalesBySetting) {
  volume_filter filter(volume_settings{.volume = 0.5f});
  const std::vector<float> in = stereo_noise(1.0, 960);
  std::vector<float> out = in;
  filter.process(out);
  for (std::size_t i = 0; i < in.size(); ++i) EXPECT_FLOAT_EQ(out[i], in[i] * 0.5f);
}

TEST(VolumeFilter, BoostClipsAtFullScale) {
  volume_filter filter(volume_settings{.volume = 5.0f});
  std::vector<float> out{0.1f, -0.1f, 0.3f, -0.3f, 1.0f, -1.0f};
  filter.process(out);
  EXPECT_FLOAT_EQ(out[0], 0.5f);
  EXPECT_FLOAT_EQ(out[1], -0.5f);
  EXPECT_EQ(out[2], 1.0f);
  EXPECT_EQ(out[3], -1.0f);
  EXPECT_EQ(out[4], 1.0f);
  EXPECT_EQ(out[5], -1.0f);
}

TEST(VolumeFilter, RejectsOutOfRange) {
  for (const float bad : {0.0f, -1.0f, 5.01f, std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::infinity()}) {
    EXPECT_THROW(validate(volume_settings{.volume = bad}), std::invalid_argument) << bad;
    EXPECT_THROW(volume_filter(volume_settings{.volume = bad}), std::invalid_argument) << bad;
  }
  try {
    validate(volume_settings{.volume = 6.0f});
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "volume must be in (0, 5] (got 6)");
  }
  EXPECT_NO_THROW(validate(volume_settings{.volume = 5.0f}));
  EXPECT_NO_THROW(validate(volume_settings{.volume = 0.01f}));
}

TEST(VolumeFilter, NonFiniteInputBecomesSilence) {
  volume_filter filter(volume_settings{.volume = 2.0f});
  std::vector<float> out{std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                         -std::numeric_limits<float>::infinity(), 0.25f};
  filter.process(out);
  EXPECT_EQ(out, (std::vector<float>{0.0f, 0.0f, 0.0f, 0.5f}));
}

TEST(VolumeFilter, BlockSplitInvariantIncludingEmptyBlocks) {
  const std::vector<float> in = stereo_noise(0.6, 4800);
  volume_filter whole(volume_settings{.volume = 3.0f});
  std::vector<float> expected = in;
  whole.process(expected);
  volume_filter split(volume_settings{.volume = 3.0f});
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), expected);
  split.process({});
}

}  // namespace
}  // namespace spence::engine
