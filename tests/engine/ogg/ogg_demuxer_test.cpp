// The Ogg Opus demuxer on files ffmpeg wrote, cross-checked against what ffprobe reports for them.

#include "engine/file_source.hpp"
#include "tests/engine/ogg/ogg_test_support.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::test {
namespace {

std::unique_ptr<opus_demuxer> open_fixture(const std::string& name) {
  return engine::open_ogg(std::make_unique<byte_reader>(std::make_unique<engine::file_source>(fixture(name))));
}

// The packets match ffprobe's in count, order and size; timestamps are ffprobe's plus pre-skip
// (ffprobe puts the first sample to play at 0); and the samples add up to the duration.
void expect_matches_ffprobe(const std::vector<packet_copy>& packets, const std::vector<probed_packet>& probed,
                            std::int64_t pre_skip) {
  ASSERT_EQ(packets.size(), probed.size());
  ASSERT_FALSE(packets.empty());
  const std::int64_t offset = packets.front().timestamp - (probed.front().pts + pre_skip);
  for (std::size_t i = 0; i < packets.size(); ++i) {
    EXPECT_EQ(packets[i].bytes.size(), probed[i].size) << "packet " << i;
    EXPECT_EQ(packets[i].timestamp, probed[i].pts + pre_skip + offset) << "packet " << i;
  }
}

std::int64_t probed_samples(const std::vector<probed_packet>& probed) {
  return std::accumulate(probed.begin(), probed.end(), std::int64_t{0},
                         [](std::int64_t sum, const probed_packet& p) { return sum + p.duration; });
}

struct single_file {
  std::string name;
  std::uint8_t channels;
  std::int64_t frame_samples;
};

void PrintTo(const single_file& f, std::ostream* os) { *os << f.name; }

class OggFixture : public ::testing::TestWithParam<single_file> {};

TEST_P(OggFixture, PacketsTimestampsAndDurationMatchFfprobe) {
  const single_file& f = GetParam();
  auto demuxer = open_fixture(f.name);
  const auto info = demuxer->info();
  EXPECT_EQ(info.head.channels, f.channels);
  EXPECT_EQ(info.codec_delay, info.head.pre_skip);
  EXPECT_TRUE(info.seekable);
  const auto packets = read_all(*demuxer);
  const auto probed = ffprobe_packets(f.name);
  expect_matches_ffprobe(packets, probed, info.head.pre_skip);
  EXPECT_EQ(packets.front().timestamp, 0);
  for (std::size_t i = 1; i < packets.size(); ++i)
    EXPECT_EQ(packets[i].timestamp - packets[i - 1].timestamp, f.frame_samples);
  // ffprobe's durations include the end trimming of the last packet, as info().duration does.
  ASSERT_TRUE(info.duration.has_value());
  EXPECT_EQ(*info.duration, probed_samples(probed));
  EXPECT_LT(*info.duration, packets.back().timestamp + f.frame_samples + 1);
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, OggFixture,
                         ::testing::Values(single_file{"mono48_20ms.opus", 1, 960},
                                           single_file{"stereo44_60ms.opus", 2, 2880},
                                           single_file{"long60.opus", 2, 960}),
                         [](const auto& info) { return info.param.name.substr(0, info.param.name.find('.')); });

TEST(OggDemuxer, SameFromANonSeekableSourceWithoutDurationOrSeeking) {
  const auto bytes = read_file(fixture("stereo44_60ms.opus"));
  auto live = open_live(bytes);
  EXPECT_FALSE(live->info().seekable);
  EXPECT_FALSE(live->info().duration.has_value());
  auto file = open_bytes(bytes);
  EXPECT_EQ(read_all(*live), read_all(*file));
}

TEST(OggDemuxer, ChainedFilesContinueTimestampsAndChangeStreamIndexAndHead) {
  auto demuxer = open_fixture("chained.opus");
  EXPECT_EQ(demuxer->info().head.channels, 1);
  EXPECT_FALSE(demuxer->info().duration.has_value()) << "the tail belongs to the second link";
  std::vector<packet_copy> first, second;
  std::uint8_t second_channels = 0;
  while (const auto p = demuxer->next()) {
    if (p->stream_index == 0) {
      first.push_back(copy_of(*p));
      EXPECT_EQ(demuxer->info().head.channels, 1);
    } else {
      EXPECT_EQ(p->stream_index, 1u);
      second.push_back(copy_of(*p));
      second_channels = demuxer->info().head.channels;
    }
  }
  EXPECT_EQ(second_channels, 2);
  const auto probed_a = ffprobe_packets("chain_a.opus");
  const auto probed_b = ffprobe_packets("chain_b.opus");
  expect_matches_ffprobe(first, probed_a, 312);
  expect_matches_ffprobe(second, probed_b, 312);
  // The second link starts where the first link's last (untrimmed) packet ended.
  EXPECT_EQ(second.front().timestamp, first.back().timestamp + 960);
}

TEST(OggDemuxer, ChainedFromANonSeekableSourceIsTheSame) {
  const auto bytes = read_file(fixture("chained.opus"));
  auto live = open_live(bytes);
  auto file = open_bytes(bytes);
  EXPECT_EQ(read_all(*live), read_all(*file));
}

struct multiplexed_file {
  std::string name;
  std::uint8_t channels;
};

void PrintTo(const multiplexed_file& f, std::ostream* os) { *os << f.name; }

class OggMultiplexed : public ::testing::TestWithParam<multiplexed_file> {};

TEST_P(OggMultiplexed, FollowsTheFirstOpusStreamAndSkipsTheOthers) {
  auto demuxer = open_fixture(GetParam().name);
  EXPECT_EQ(demuxer->info().head.channels, GetParam().channels);
  const auto packets = read_all(*demuxer);
  expect_matches_ffprobe(packets, ffprobe_packets(GetParam().name), demuxer->info().head.pre_skip);
  for (const auto& p : packets) EXPECT_EQ(p.stream_index, 0u);
  EXPECT_TRUE(demuxer->info().duration.has_value());
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, OggMultiplexed,
                         ::testing::Values(multiplexed_file{"vorbis_opus.ogg", 2}, multiplexed_file{"theora_opus.ogg", 1},
                                           multiplexed_file{"two_opus.ogg", 1}),
                         [](const auto& info) { return info.param.name.substr(0, info.param.name.find('.')); });

struct other_codec {
  std::string file;
  std::string codec;
};

void PrintTo(const other_codec& c, std::ostream* os) { *os << c.file; }

class OggOtherCodec : public ::testing::TestWithParam<other_codec> {};

TEST_P(OggOtherCodec, IsUnsupportedCodecNamingIt) {
  try {
    open_fixture(GetParam().file);
    FAIL() << "opened";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::unsupported_codec);
    EXPECT_NE(std::string(e.what()).find(GetParam().codec), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(GetParam().file), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(Ffmpeg, OggOtherCodec,
                         ::testing::Values(other_codec{"vorbis.ogg", "Vorbis"}, other_codec{"flac.oga", "FLAC"},
                                           other_codec{"speex.spx", "Speex"}, other_codec{"theora.ogv", "Theora"}),
                         [](const auto& info) { return info.param.codec; });

}  // namespace
}  // namespace spence::test
