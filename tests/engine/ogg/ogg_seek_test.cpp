// Seeking in Ogg Opus: bisection on a seekable source, reading again from the start for chains,
// forward only on a live source. Every seek must land on exactly the packet a straight read
// reaches: the last one starting at or before the target.

#include "engine/ogg/ogg_limits.hpp"
#include "tests/engine/ogg/ogg_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace spence::test {
namespace {

std::vector<packet_copy> straight(const std::vector<std::uint8_t>& bytes) {
  auto demuxer = open_bytes(bytes);
  return read_all(*demuxer);
}

// Index of the last packet starting at or before target (the first when none does).
std::size_t expected_index(const std::vector<packet_copy>& all, std::int64_t target) {
  const auto after = std::upper_bound(all.begin(), all.end(), target,
                                      [](std::int64_t t, const packet_copy& p) { return t < p.timestamp; });
  return after == all.begin() ? 0 : static_cast<std::size_t>(after - all.begin()) - 1;
}

// Seeks, then checks that the next packets are the straight read's from the expected one on.
void expect_seek_lands(opus_demuxer& demuxer, const std::vector<packet_copy>& all, std::int64_t target) {
  const std::size_t want = expected_index(all, target);
  EXPECT_EQ(demuxer.seek(target), all[want].timestamp) << "target " << target;
  for (std::size_t i = want; i < std::min(all.size(), want + 3); ++i) {
    const auto p = demuxer.next();
    ASSERT_TRUE(p.has_value()) << "target " << target;
    EXPECT_EQ(copy_of(*p), all[i]) << "target " << target << ", packet " << i;
  }
}

std::vector<std::int64_t> targets(const std::vector<packet_copy>& all) {
  const std::int64_t end = all.back().timestamp;
  return {end / 2, 0, -5000, 1, 959, 960, 961, end / 3, end - 1, end, end + 1, end * 10, end / 7, 12345, end / 2};
}

TEST(OggSeek, BisectionLandsOnTheExactPacketInAnyOrder) {
  const auto bytes = read_file(fixture("long60.opus"));
  const auto all = straight(bytes);
  auto demuxer = open_bytes(bytes);
  for (const std::int64_t t : targets(all)) expect_seek_lands(*demuxer, all, t);
}

TEST(OggSeek, BisectionReadsAFractionOfTheFileWithFewSeeks) {
  const auto bytes = read_file(fixture("long60.opus"));
  std::uint64_t bytes_read = 0;
  int seeks = 0;
  auto demuxer = engine::open_ogg(std::make_unique<byte_reader>(std::make_unique<counting_source>(bytes, bytes_read, seeks), 4096));
  const auto all = straight(bytes);
  for (const double at : {0.9, 0.1, 0.5, 0.75}) {
    bytes_read = 0;
    seeks = 0;
    expect_seek_lands(*demuxer, all, static_cast<std::int64_t>(at * static_cast<double>(all.back().timestamp)));
    EXPECT_LT(bytes_read, bytes.size() / 2) << "at " << at;
    EXPECT_LE(seeks, 2 + 2 * engine::ogg_limits::max_bisection_steps);
  }
}

TEST(OggSeek, DurationIsTheLastGranulePosition) {
  auto demuxer = open_bytes(read_file(fixture("long60.opus")));
  const auto probed = ffprobe_packets("long60.opus");
  ASSERT_TRUE(demuxer->info().duration.has_value());
  EXPECT_EQ(*demuxer->info().duration, probed.back().pts + probed.back().duration + demuxer->info().head.pre_skip);
}

TEST(OggSeek, MultiplexedFilesBisectOverTheOpusStreamPages) {
  const auto bytes = read_file(fixture("theora_opus.ogg"));
  const auto all = straight(bytes);
  auto demuxer = open_bytes(bytes);
  for (const std::int64_t t : targets(all)) expect_seek_lands(*demuxer, all, t);
}

TEST(OggSeek, ChainsSeekBackByReadingAgainAcrossLinks) {
  const auto bytes = read_file(fixture("chained.opus"));
  const auto all = straight(bytes);
  auto demuxer = open_bytes(bytes);
  EXPECT_TRUE(demuxer->info().seekable);
  const auto second = std::find_if(all.begin(), all.end(), [](const packet_copy& p) { return p.stream_index == 1; });
  ASSERT_NE(second, all.end());
  for (const std::int64_t t : {second->timestamp + 5000, std::int64_t{2000}, second->timestamp - 1, std::int64_t{0},
                               all.back().timestamp + 99}) {
    const auto& landed = all[expected_index(all, t)];
    EXPECT_EQ(demuxer->seek(t), landed.timestamp);
    EXPECT_EQ(demuxer->info().head.channels, landed.stream_index == 0 ? 1 : 2) << "the head of the link landed in";
    EXPECT_EQ(copy_of(*demuxer->next()), landed);
  }
}

TEST(OggSeek, ANonSeekableSourceSeeksForwardOnly) {
  const auto bytes = read_file(fixture("mono48_20ms.opus"));
  const auto all = straight(bytes);
  auto live = open_live(bytes);
  EXPECT_FALSE(live->info().seekable);
  expect_seek_lands(*live, all, -100);  // before the first packet, nothing consumed: the first
  expect_seek_lands(*live, all, 30'000);
  expect_seek_lands(*live, all, 60'000);
  EXPECT_EQ(error_of([&] { live->seek(1000); }), media_errc::not_seekable);
  // Within the packet returned last is behind the next packet too.
  EXPECT_EQ(error_of([&] { live->seek(all[expected_index(all, 60'000) + 2].timestamp - 1); }), media_errc::not_seekable);
  expect_seek_lands(*live, all, all.back().timestamp);
  EXPECT_FALSE(live->next().has_value());
}

TEST(OggSeek, SeekingPastTheEndReturnsTheLastPacket) {
  const auto bytes = read_file(fixture("stereo44_60ms.opus"));
  const auto all = straight(bytes);
  auto demuxer = open_bytes(bytes);
  EXPECT_EQ(demuxer->seek(std::numeric_limits<std::int64_t>::max()), all.back().timestamp);
  EXPECT_EQ(copy_of(*demuxer->next()), all.back());
  EXPECT_FALSE(demuxer->next().has_value());
  EXPECT_EQ(demuxer->seek(std::numeric_limits<std::int64_t>::min()), 0);
  EXPECT_EQ(copy_of(*demuxer->next()), all.front());
}

TEST(OggSeek, AStartOffsetShiftsGranulesNotTimestamps) {
  // A stream cropped at the front: its first page's granule position says 10 s have gone before.
  const auto bytes = synthetic_opus(40, 5, 480'000);
  auto demuxer = open_bytes(bytes);
  ASSERT_TRUE(demuxer->info().duration.has_value());
  EXPECT_EQ(*demuxer->info().duration, 40 * 5 * 960);
  const auto all = straight(bytes);
  EXPECT_EQ(all.front().timestamp, 0);
  for (const std::int64_t t : targets(all)) expect_seek_lands(*demuxer, all, t);
}

TEST(OggSeek, PacketsSpanningPagesAreFoundAfterBisection) {
  // Each page ends with the first 510 bytes of a packet whose last 45 bytes open the next page.
  std::vector<std::uint8_t> bytes = opus_headers();
  const std::vector<std::uint8_t> rest(45, 0x33);
  page_builder b;
  b.packet(opus_20ms(100)).open_packet(segments_of(2)).end_page(bytes, 7, 2, 0, 960);
  std::int64_t granule = 960;
  std::uint32_t sequence = 3;
  for (int i = 0; i < 299; ++i) {
    granule += 2 * 960;
    b.packet(rest).packet(opus_20ms(100)).open_packet(segments_of(2)).end_page(bytes, 7, sequence++, page_builder::continued, granule);
  }
  b.packet(rest).end_page(bytes, 7, sequence, page_builder::continued | page_builder::eos, granule + 960);
  const auto all = straight(bytes);
  ASSERT_EQ(all.size(), 600u);
  EXPECT_EQ(all[1].bytes.size(), 555u);
  EXPECT_EQ(all[599].timestamp, 599 * 960);
  auto demuxer = open_bytes(bytes);
  for (const std::int64_t t : targets(all)) expect_seek_lands(*demuxer, all, t);
}

}  // namespace
}  // namespace spence::test
