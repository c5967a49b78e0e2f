// The frame pipeline with the Lavalink filter chain: filters force transcoding, apply to the
// audio, can be turned on mid-track, and timescale changes the track's length.

#include "engine/frame_pipeline.hpp"
#include "engine/opus_decoder.hpp"

#include "tests/engine/core/synthetic_media.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace spence::engine {
namespace {

using test::decode_left;
using test::opus_media;

std::size_t drain(frame_pipeline& p) {
  std::size_t frames = 0;
  while (p.next()) ++frames;
  return frames;
}

// RMS of the left channel of one packet decoded after all the ones before it.
std::vector<double> levels(frame_pipeline& p) {
  opus_head head;
  head.channels = 2;
  opus_decoder decoder(head, "check");
  std::vector<double> out;
  while (const auto packet = p.next()) {
    const auto pcm = decoder.decode(*packet);
    double sum = 0;
    for (std::size_t i = 0; i < pcm.size(); i += 2) sum += pcm[i] * pcm[i];
    out.push_back(std::sqrt(sum / (pcm.size() / 2)));
  }
  return out;
}

TEST(FramePipelineFilters, AnEnabledFilterForcesTranscodingAndApplies) {
  pipeline_settings settings;
  settings.filters.volume = volume_settings{0.5f};
  frame_pipeline p(opus_media(std::make_unique<test::encoded_sine>(std::vector<int>(50, 960))), settings);
  EXPECT_FALSE(p.passthrough());
  EXPECT_NEAR(levels(p)[25], 0.177, 0.02);  // the 0.354 RMS tone at half amplitude
}

TEST(FramePipelineFilters, PresentButDisabledFiltersKeepPassthrough) {
  pipeline_settings settings;
  settings.filters.volume = volume_settings{1.0f};        // Lavalink: enabled only when != 1
  settings.filters.timescale = timescale_settings{};      // enabled only when a factor != 1
  frame_pipeline p(opus_media(std::make_unique<test::encoded_sine>(std::vector<int>(50, 960))), settings);
  EXPECT_TRUE(p.passthrough());
  EXPECT_EQ(drain(p), 50u);
}

TEST(FramePipelineFilters, TurningAFilterOnMidTrackSwitchesAtTheNextPacket) {
  frame_pipeline p(opus_media(std::make_unique<test::encoded_sine>(std::vector<int>(50, 960))), {});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(p.next());
  filter_settings quieter;
  quieter.volume = volume_settings{0.25f};
  p.set_filters(quieter);
  EXPECT_EQ(drain(p), 40u);
  EXPECT_EQ(p.passthrough_frames(), 10u);
  EXPECT_EQ(p.transcoded_frames(), 40u);
}

TEST(FramePipelineFilters, TimescaleSpeedShortensTheTrack) {
  pipeline_settings settings;
  settings.filters.timescale = timescale_settings{2.0, 1.0, 1.0};
  frame_pipeline p(opus_media(std::make_unique<test::encoded_sine>(std::vector<int>(100, 960))), settings);
  // 2 s at double speed: 1 s, 50 frames, give or take what SoundTouch's overlap rounds.
  EXPECT_NEAR(static_cast<double>(drain(p)), 50.0, 3.0);
}

TEST(FramePipelineFilters, InvalidSettingsAreRefusedWithTheFieldsName) {
  frame_pipeline p(opus_media(std::make_unique<test::encoded_sine>(std::vector<int>(5, 960))), {});
  filter_settings bad;
  bad.volume = volume_settings{-1.0f};
  try {
    p.set_filters(bad);
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("volume"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace spence::engine
