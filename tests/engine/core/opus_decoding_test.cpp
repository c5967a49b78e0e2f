// Opus decoding against ffmpeg's own decoder (its native one, a separate implementation from
// libopus), for stereo Ogg, mono WebM and 5.1 Ogg; and sample-exact seeking.

#include "engine/file_source.hpp"
#include "engine/media_open.hpp"
#include "engine/opus_decoding_source.hpp"

#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/pcm_compare.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

std::unique_ptr<opus_decoding_source> decode(const std::string& name) {
  auto media = open_media(std::make_unique<file_source>(test::fixture(name)));
  EXPECT_TRUE(media.opus) << name;
  return std::make_unique<opus_decoding_source>(std::move(media.opus), name);
}

struct decoding_case {
  const char* file;
  std::uint16_t channels;
};

class OpusDecoding : public testing::TestWithParam<decoding_case> {};

// Two independent decoders of the same packets agree to within rounding and their own float
// paths: 50 dB leaves room for that and would catch any misalignment, a dropped or repeated
// packet, a wrong pre-skip or a wrong channel order (each of those costs tens of dB).
TEST_P(OpusDecoding, MatchesFfmpegsDecodeSampleForSample) {
  const auto [file, channels] = GetParam();
  auto source = decode(file);
  EXPECT_EQ(source->format(), (pcm_format{48000, channels}));
  const auto ours = test::read_all(*source);
  const auto reference = test::read_f32(test::fixture(std::string(file) + ".f32"));
  // Both drop the pre-skip and trim the end where the container says (Ogg's last granule,
  // WebM's DiscardPadding).
  ASSERT_EQ(ours.size(), reference.size());
  EXPECT_GT(test::snr_db(ours, reference, reference.size()), 50.0);
  // The stated length is the Ogg granule exactly; Matroska's Duration still counts the padding.
  ASSERT_TRUE(source->duration_frames());
  const auto frames = static_cast<std::int64_t>(ours.size() / channels);
  EXPECT_GE(*source->duration_frames(), frames);
  EXPECT_LT(*source->duration_frames() - frames, 960);
}

INSTANTIATE_TEST_SUITE_P(Fixtures, OpusDecoding,
                         testing::Values(decoding_case{"stereo.opus", 2}, decoding_case{"mono.webm", 1},
                                         decoding_case{"surround.opus", 6}),
                         [](const auto& info) { return std::string(info.param.file).substr(0, std::string(info.param.file).find('.')); });

TEST(OpusDecodingSeek, LandsOnTheExactSample) {
  const auto whole = test::read_all(*decode("stereo.opus"));
  auto source = decode("stereo.opus");
  for (const std::int64_t frame : {std::int64_t{100000}, std::int64_t{12345}, std::int64_t{0}, std::int64_t{96000}}) {
    EXPECT_EQ(source->seek(frame), frame);
    std::vector<float> got;
    while (got.size() < 960 * 2) {
      const auto block = source->read(960 - got.size() / 2);
      ASSERT_FALSE(block.samples.empty());
      got.insert(got.end(), block.samples.begin(), block.samples.end());
    }
    // After the pre-roll the decoder has converged: the same samples within float noise.
    const std::span<const float> sequential(whole.data() + frame * 2, 960 * 2);
    EXPECT_GT(test::snr_db(got, sequential, 960 * 2), 60.0) << "frame " << frame;
  }
}

TEST(OpusDecodingSeek, PastTheEndReadsNothing) {
  auto source = decode("mono.webm");
  source->seek(10 * 48000);
  EXPECT_TRUE(source->read(960).samples.empty());
}

}  // namespace
}  // namespace spence::engine
