// Real files from ffmpeg and mkvmerge: the demuxed packets must be byte-identical, in order, to
// those of the same stream in Ogg (read with libogg), with consistent timestamps and stream info.

#include "engine/file_source.hpp"
#include "engine/opus_head.hpp"
#include "engine/webm/webm_demuxer.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/webm/ogg_opus_reference.hpp"
#include "tests/engine/webm/webm_test_support.hpp"

#include <gtest/gtest.h>

namespace spence::test {
namespace {

using engine::media_errc;

struct case_file {
  const char* webm;
  const char* ogg;
  int lacing;  // of the first block: 0 none, 1 Xiph, 2 fixed, 3 EBML
  // The largest gap between a block's timestamp and the sum of the durations before it: ffmpeg
  // writes 1 ms ticks (48 samples), mkvmerge 20832 ns ticks (one sample).
  std::int64_t tick_tolerance;
  // The source's length when the file's Duration comes from the encode itself (remuxes by ffmpeg
  // carry the remuxer's idea of the end instead).
  std::optional<std::int64_t> source_samples;
};

std::ostream& operator<<(std::ostream& os, const case_file& c) { return os << c.webm; }

constexpr std::int64_t twelve_seconds = 12 * 48'000;

class WebmFile : public ::testing::TestWithParam<case_file> {};

TEST_P(WebmFile, PacketsMatchTheOggStreamWithConsistentTimestamps) {
  const case_file& c = GetParam();
  const auto bytes = read_file(fixture(c.webm));
  EXPECT_EQ(first_block_lacing(bytes), c.lacing);
  const ogg_opus_reference reference = read_ogg_opus(fixture(c.ogg));
  ASSERT_GT(reference.packets.size(), 100u);

  const auto demuxer = open_webm_source(std::make_unique<engine::file_source>(fixture(c.webm)));
  const engine::opus_head ogg_head = engine::parse_opus_head(reference.opus_head, c.ogg);
  const auto& info = demuxer->info();
  EXPECT_EQ(info.head.channels, ogg_head.channels);
  EXPECT_EQ(info.head.input_sample_rate, ogg_head.input_sample_rate);
  EXPECT_EQ(info.head.pre_skip, ogg_head.pre_skip);
  EXPECT_EQ(info.codec_delay, ogg_head.pre_skip);  // CodecDelay as written by both tools
  EXPECT_TRUE(info.seekable);

  const auto packets = read_all(*demuxer);
  ASSERT_EQ(packets.size(), reference.packets.size());
  std::int64_t expected = 0;  // the sum of the durations so far: the Ogg granule clock
  for (std::size_t i = 0; i < packets.size(); ++i) {
    ASSERT_EQ(packets[i].data, reference.packets[i]) << "packet " << i;
    ASSERT_NEAR(packets[i].timestamp, expected, c.tick_tolerance) << "packet " << i;
    if (i > 0) ASSERT_GT(packets[i].timestamp, packets[i - 1].timestamp) << "packet " << i;
    expected += opus_samples(packets[i].data);
  }
  EXPECT_EQ(packets.front().timestamp, 0);
  // Duration is on the block clock, like Ogg's granule positions: the source's samples plus the
  // codec delay (within 2 ms: ffmpeg rounds the end to its 1 ms ticks).
  if (c.source_samples) {
    ASSERT_TRUE(info.duration);
    EXPECT_NEAR(*info.duration, *c.source_samples + info.codec_delay, 2 * 48);
  }
  EXPECT_FALSE(demuxer->next());
}

INSTANTIATE_TEST_SUITE_P(
    Ffmpeg, WebmFile,
    ::testing::Values(case_file{"ff_stereo_20ms.webm", "ff_stereo_20ms.opus", 0, 48, twelve_seconds},
                      case_file{"ff_mono44_60ms.webm", "ff_mono44_60ms.opus", 0, 48, twelve_seconds},
                      case_file{"ff_stereo_crc.mka", "ff_stereo_20ms.opus", 0, 48, std::nullopt},
                      case_file{"ff_stereo_live.webm", "ff_stereo_20ms.opus", 0, 48, std::nullopt},
                      case_file{"ff_stereo_pipe.webm", "ff_stereo_20ms.opus", 0, 48, std::nullopt},
                      case_file{"ff_video_audio.webm", "ff_video_audio.opus", 0, 48, 4 * 48'000}));

INSTANTIATE_TEST_SUITE_P(
    Mkvmerge, WebmFile,
    ::testing::Values(case_file{"mkv_xiph.mka", "stereo_20ms.opus", 1, 1, twelve_seconds},
                      case_file{"mkv_ebml.mka", "stereo_20ms.opus", 3, 1, twelve_seconds},
                      case_file{"mkv_fixed.mka", "stereo_cbr.opus", 2, 1, twelve_seconds},
                      case_file{"mkv_blockgroups.mka", "stereo_20ms.opus", 3, 1, twelve_seconds},
                      case_file{"mkv_nocues.mka", "stereo_20ms.opus", 3, 1, twelve_seconds},
                      case_file{"mkv_mono44_60ms.mka", "mono44_60ms.opus", 3, 1, twelve_seconds}));

TEST(WebmFileInfo, MonoFrom44kHzIn60msFrames) {
  const auto demuxer = open_webm_source(std::make_unique<engine::file_source>(fixture("ff_mono44_60ms.webm")));
  EXPECT_EQ(demuxer->info().head.channels, 1);
  // ffmpeg resamples to 48 kHz before libopus, so the OpusHead says 48000.
  EXPECT_EQ(demuxer->info().head.input_sample_rate, 48'000u);
  const auto packets = read_all(*demuxer);
  EXPECT_EQ(opus_samples(packets.front().data), 2880);  // 60 ms frames
  EXPECT_NEAR(packets[1].timestamp, 2880, 48);  // 1 ms ticks
}

TEST(WebmFileInfo, LiveStreamsHaveNoDuration) {
  EXPECT_FALSE(open_webm_bytes(read_file(fixture("ff_stereo_live.webm")))->info().duration);
}

// The live layouts: unknown-size Segment and Clusters, read from a source that cannot seek.
TEST(WebmLive, UnknownSizeClustersOnAStreamYieldTheSamePackets) {
  const auto file = read_file(fixture("ff_stereo_20ms.webm"));
  const auto expected = read_all(*open_webm_bytes(file));
  for (const char* name : {"ff_stereo_20ms.webm", "ff_stereo_live.webm", "mkv_xiph.mka", "ff_stereo_crc.mka"}) {
    SCOPED_TRACE(name);
    const auto live = with_unknown_sizes(read_file(fixture(name)));
    const auto demuxer = open_webm_bytes(live, false);
    EXPECT_FALSE(demuxer->info().seekable);
    const auto packets = read_all(*demuxer);
    const auto reference = read_all(*open_webm_bytes(read_file(fixture(name))));
    ASSERT_EQ(packets.size(), reference.size());
    for (std::size_t i = 0; i < packets.size(); ++i) {
      ASSERT_EQ(packets[i].data, reference[i].data) << i;
      ASSERT_EQ(packets[i].timestamp, reference[i].timestamp) << i;
    }
  }
  // The ffmpeg files hold the same stream.
  EXPECT_EQ(read_all(*open_webm_bytes(with_unknown_sizes(read_file(fixture("ff_stereo_live.webm"))), false)).size(),
            expected.size());
}

media_errc open_error(const char* name) {
  try {
    open_webm_source(std::make_unique<engine::file_source>(fixture(name)));
  } catch (const engine::media_error& e) {
    return e.code();
  }
  ADD_FAILURE() << name << " opened";
  return media_errc::io;
}

TEST(WebmUnsupported, VorbisAndAacNameTheirCodec) {
  for (const auto& [name, codec] : {std::pair{"vorbis.webm", "A_VORBIS"}, std::pair{"aac.mka", "A_AAC"}}) {
    try {
      open_webm_source(std::make_unique<engine::file_source>(fixture(name)));
      ADD_FAILURE() << name << " opened";
    } catch (const engine::media_error& e) {
      EXPECT_EQ(e.code(), media_errc::unsupported_codec) << name;
      EXPECT_NE(std::string(e.what()).find(codec), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(name), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(open_error("stereo_20ms.opus"), media_errc::unsupported_format);  // Ogg is not EBML
}

}  // namespace
}  // namespace spence::test
