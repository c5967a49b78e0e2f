#include "engine/frame_pipeline.hpp"
#include "engine/opus_decoder.hpp"

#include "tests/engine/core/synthetic_media.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace spence::engine {
namespace {

using test::decode_left;
using test::opus_media;

using test::encoded_sine;
using test::sine_source;

opened_media pcm_media(std::unique_ptr<pcm_source> pcm) {
  opened_media m;
  m.kind = container::wav;
  m.name = "synthetic.wav";
  m.pcm = std::move(pcm);
  return m;
}

std::vector<std::vector<std::uint8_t>> drain(frame_pipeline& p) {
  std::vector<std::vector<std::uint8_t>> out;
  while (const auto packet = p.next()) {
    EXPECT_EQ(opus_packet_get_nb_samples(packet->data(), static_cast<opus_int32>(packet->size()), 48000), 960);
    out.emplace_back(packet->begin(), packet->end());
  }
  return out;
}

// The RMS of each 20 ms frame of the decoded packets (left channel).
std::vector<double> frame_levels(const std::vector<std::vector<std::uint8_t>>& packets) {
  opus_head head;
  head.channels = 2;
  opus_decoder decoder(head, "check");
  std::vector<double> levels;
  for (const auto& p : packets) {
    const auto pcm = decoder.decode(p);
    double sum = 0;
    for (std::size_t i = 0; i < pcm.size(); i += 2) sum += pcm[i] * pcm[i];
    levels.push_back(std::sqrt(sum / (pcm.size() / 2)));
  }
  return levels;
}

TEST(FramePipeline, PassesTwentyMillisecondOpusThroughUntouched) {
  auto source = std::make_unique<encoded_sine>(std::vector<int>(50, 960));
  const auto first = source->packet(0);
  const auto last = source->packet(49);
  frame_pipeline pipeline(opus_media(std::move(source)), {});
  const auto out = drain(pipeline);
  EXPECT_TRUE(pipeline.passthrough());
  ASSERT_EQ(out.size(), 50u);
  EXPECT_EQ(out.front(), first);
  EXPECT_EQ(out.back(), last);
  EXPECT_EQ(pipeline.transcoded_frames(), 0u);
}

TEST(FramePipeline, VolumeOrPolicyForceTranscoding) {
  pipeline_settings quieter;
  quieter.volume = 0.5f;
  frame_pipeline a(opus_media(std::make_unique<encoded_sine>(std::vector<int>(50, 960))), quieter);
  EXPECT_FALSE(a.passthrough());
  const auto levels = frame_levels(drain(a));
  // 0.5 amplitude sine: RMS 0.354; at half volume 0.177 (Opus keeps the level within a dB).
  EXPECT_NEAR(levels[25], 0.177, 0.02);

  pipeline_settings never;
  never.passthrough = passthrough_policy::never;
  frame_pipeline b(opus_media(std::make_unique<encoded_sine>(std::vector<int>(50, 960))), never);
  EXPECT_FALSE(b.passthrough());
  EXPECT_EQ(drain(b).size(), 50u);  // 1 s minus the codec delay, padded to whole frames
}

TEST(FramePipeline, SwitchesToTranscodingOnOtherFrameDurationsWithoutAGap) {
  // 20 ms packets, then 60 ms ones: the stream stops qualifying at packet 10.
  std::vector<int> durations(10, 960);
  durations.insert(durations.end(), 10, 2880);
  pipeline_settings settings;
  // Without expected loss the encoder stays in CELT mode, whose delay is exactly its lookahead; FEC
  // would let it pick hybrid mode, whose SILK layer shifts the phase by a few samples and would
  // blur the alignment this test checks.
  settings.encoder.expected_loss_percent = 0;
  frame_pipeline pipeline(opus_media(std::make_unique<encoded_sine>(durations)), settings);
  const auto out = drain(pipeline);
  EXPECT_EQ(pipeline.passthrough_frames(), 10u);
  EXPECT_FALSE(pipeline.passthrough());
  // 0.2 s + 0.6 s of audio: 40 frames of 20 ms in all (the last one padded).
  EXPECT_EQ(out.size(), 40u);
  const auto levels = frame_levels(out);
  // Every frame around the switch keeps the tone's level: no silence, no burst.
  for (std::size_t i = 2; i + 1 < levels.size(); ++i) EXPECT_NEAR(levels[i], 0.354, 0.05) << "frame " << i;
  // And keeps its phase: the decoded stream stays aligned with the tone (delayed by the source
  // encoder's 312-sample lookahead) through the switch, so nothing was repeated or skipped. The
  // first 5 ms of the first new frame hold CELT's window overlap and the post-filter's cross-fade
  // from the source encoder's pitch parameters to the new encoder's: two encoders' states do not
  // cancel exactly there, so that stretch only has to stay free of bursts.
  const auto decoded = decode_left(out);
  constexpr std::size_t switch_frame = 10, celt_overlap = 240;
  for (std::size_t frame = 5; frame < 20; ++frame) {
    double signal = 0, noise = 0, overlap_error = 0;
    for (std::size_t n = frame * 960; n < (frame + 1) * 960; ++n) {
      const double want = test::sine_sample(440, 48000, static_cast<std::int64_t>(n) - 312);
      const double error = decoded[n] - want;
      if (frame == switch_frame && n < frame * 960 + celt_overlap) {
        overlap_error = std::max(overlap_error, std::abs(error));
        continue;
      }
      signal += want * want;
      noise += error * error;
    }
    EXPECT_GT(10 * std::log10(signal / noise), 20.0) << "SNR of frame " << frame;
    EXPECT_LT(overlap_error, 0.3) << "the overlap stretch of frame " << frame;
  }
}

TEST(FramePipeline, ResamplesAndMixesPcmToStereoFortyEightKilohertz) {
  // 1 s of 44.1 kHz 5.1 audio becomes 50 frames of 48 kHz stereo.
  frame_pipeline pipeline(pcm_media(std::make_unique<sine_source>(44100, 6, 44100)), {});
  const auto out = drain(pipeline);
  EXPECT_EQ(out.size(), 50u);
  EXPECT_EQ(pipeline.output_head().channels, 2);
  EXPECT_EQ(pipeline.output_head().input_sample_rate, 44100u);
  const auto levels = frame_levels(out);
  // Equal channels mixed with rows normalised to 1 keep the level of one channel.
  EXPECT_NEAR(levels[25], 0.354, 0.03);
}

TEST(FramePipeline, SameInputSameSettingsGiveTheSameBytes) {
  const auto render = [] {
    frame_pipeline p(pcm_media(std::make_unique<sine_source>(22050, 1, 22050 * 2)), {});
    return drain(p);
  };
  EXPECT_EQ(render(), render());
}

TEST(FramePipeline, StartsAtTheRequestedSample) {
  pipeline_settings from_half;
  from_half.start_sample = 24000;
  frame_pipeline pcm(pcm_media(std::make_unique<sine_source>(48000, 2, 48000)), from_half);
  EXPECT_EQ(drain(pcm).size(), 25u);
  frame_pipeline opus(opus_media(std::make_unique<encoded_sine>(std::vector<int>(50, 960))), from_half);
  EXPECT_EQ(drain(opus).size(), 25u);  // packet-accurate: the packet holding sample 24000 + delay onwards
  EXPECT_TRUE(opus.passthrough());
}

TEST(FramePipeline, SeeksMidTrackInBothModes) {
  // Passthrough: after a seek back to 0.5 s the packets are the source's from there.
  auto source = std::make_unique<encoded_sine>(std::vector<int>(100, 960));
  const auto at_half = source->packet(25);
  frame_pipeline passing(opus_media(std::move(source)), {});
  for (int i = 0; i < 60; ++i) ASSERT_TRUE(passing.next());
  passing.seek(24000 - 312);  // the packet holding playback sample 24000 - 312 + 312 = 24000
  const auto next = passing.next();
  ASSERT_TRUE(next);
  EXPECT_EQ(std::vector<std::uint8_t>(next->begin(), next->end()), at_half);
  EXPECT_EQ(drain(passing).size(), 74u);

  // Transcoding: a seek to 1.5 s of 2 s leaves 25 frames, and the tone carries on at full level.
  frame_pipeline transcoding(pcm_media(std::make_unique<sine_source>(44100, 2, 88200)), {});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(transcoding.next());
  transcoding.seek(72000);
  const auto rest = drain(transcoding);
  EXPECT_EQ(rest.size(), 25u);
  EXPECT_NEAR(frame_levels(rest)[10], 0.354, 0.03);
}

}  // namespace
}  // namespace spence::engine
