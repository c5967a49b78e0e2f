// Seeking: with Cues, without Cues (Cluster timestamps), in live layouts, and forward-only on a
// source that cannot seek. The expected landing packet comes from reading the whole file.

#include "engine/byte_reader.hpp"
#include "engine/memory_source.hpp"
#include "engine/webm/webm_demuxer.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/webm/webm_test_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace spence::test {
namespace {

using engine::media_errc;

// The index next() must return after seek(target): the last packet starting at or before it, or
// the first packet when the target precedes them all.
std::size_t landing(const std::vector<demuxed_packet>& all, std::int64_t target) {
  const auto after = std::upper_bound(all.begin(), all.end(), target,
                                      [](std::int64_t t, const demuxed_packet& p) { return t < p.timestamp; });
  return after == all.begin() ? 0 : static_cast<std::size_t>(after - all.begin()) - 1;
}

void expect_seek(engine::opus_demuxer& demuxer, const std::vector<demuxed_packet>& all, std::int64_t target) {
  SCOPED_TRACE(::testing::Message() << "seek to " << target);
  const std::size_t index = landing(all, target);
  ASSERT_EQ(demuxer.seek(target), all[index].timestamp);
  for (std::size_t i = index; i < std::min(all.size(), index + 3); ++i) {
    const auto packet = demuxer.next();
    ASSERT_TRUE(packet) << i;
    ASSERT_EQ(packet->timestamp, all[i].timestamp) << i;
    ASSERT_TRUE(std::ranges::equal(packet->data, all[i].data)) << i;
  }
}

// Targets everywhere: before the start, on and around packet starts, inside laces, past the end;
// forwards and backwards.
std::vector<std::int64_t> targets(const std::vector<demuxed_packet>& all) {
  const auto at = [&](std::size_t i) { return all[std::min(i, all.size() - 1)].timestamp; };
  return {at(300), at(300) + 1, at(37) - 1, -5000, 0, at(37), 9'000'000'000, at(all.size() - 1), at(1), at(151) + 480,
          at(420) - 1, at(2) + 7, at(all.size() / 2), at(5)};
}

class WebmSeek : public ::testing::TestWithParam<const char*> {};

TEST_P(WebmSeek, LandsOnTheLastPacketAtOrBeforeTheTarget) {
  const auto bytes = read_file(fixture(GetParam()));
  const auto all = read_all(*open_webm_bytes(bytes));
  ASSERT_GT(all.size(), 150u);
  const auto demuxer = open_webm_bytes(bytes);
  for (const std::int64_t target : targets(all)) expect_seek(*demuxer, all, target);
  // After the end of the stream, and twice in a row without reading.
  while (demuxer->next()) {
  }
  expect_seek(*demuxer, all, all[200].timestamp);
  ASSERT_EQ(demuxer->seek(all[10].timestamp + 5), all[10].timestamp);
  expect_seek(*demuxer, all, all[10].timestamp + 5);
}

INSTANTIATE_TEST_SUITE_P(Files, WebmSeek,
                         ::testing::Values("ff_stereo_20ms.webm", "ff_mono44_60ms.webm", "ff_stereo_crc.mka",
                                           "ff_stereo_pipe.webm", "ff_video_audio.webm", "mkv_xiph.mka", "mkv_fixed.mka",
                                           "mkv_nocues.mka", "mkv_blockgroups.mka", "mkv_mono44_60ms.mka"));

TEST(WebmSeekLive, UnknownSizeClustersOnASeekableSource) {
  const auto bytes = with_unknown_sizes(read_file(fixture("mkv_nocues.mka")));
  const auto all = read_all(*open_webm_bytes(bytes));
  const auto demuxer = open_webm_bytes(bytes);
  for (const std::int64_t target : targets(all)) expect_seek(*demuxer, all, target);
}

// Counts the bytes read, to show that a seek with Cues jumps instead of reading everything.
class counting_source final : public engine::byte_source {
 public:
  explicit counting_source(std::vector<std::uint8_t> bytes) : inner_(std::move(bytes), "counting") {}
  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = inner_.read(out);
    read_ += n;
    return n;
  }
  bool seekable() const override { return true; }
  void seek(std::uint64_t offset) override { inner_.seek(offset); }
  std::optional<std::uint64_t> size() const override { return inner_.size(); }
  std::size_t available() const override { return inner_.available(); }
  const std::string& name() const override { return inner_.name(); }
  std::uint64_t bytes_read() const { return read_; }

 private:
  engine::memory_source inner_;
  std::uint64_t read_ = 0;
};

TEST(WebmSeekCues, JumpsThroughTheCuesInsteadOfReadingTheFile) {
  const auto bytes = read_file(fixture("ff_stereo_20ms.webm"));
  const auto all = read_all(*open_webm_bytes(bytes));
  auto source = std::make_unique<counting_source>(bytes);
  const counting_source& counter = *source;
  // A small read-ahead, so that what is read is what the demuxer asked for.
  const auto demuxer = engine::open_webm(std::make_unique<engine::byte_reader>(std::move(source), 4096));
  expect_seek(*demuxer, all, all[all.size() - 20].timestamp);
  // The headers, the Cues and part of the last Cluster: a small part of the file.
  EXPECT_LT(counter.bytes_read(), bytes.size() / 5);
}

TEST(WebmSeekStream, ForwardOnlyOnASourceThatCannotSeek) {
  const auto bytes = read_file(fixture("mkv_xiph.mka"));
  const auto all = read_all(*open_webm_bytes(bytes));
  const auto demuxer = open_webm_bytes(bytes, false);
  EXPECT_FALSE(demuxer->info().seekable);
  // Before anything was read, a target before the first packet keeps the first packet.
  expect_seek(*demuxer, all, -100);
  expect_seek(*demuxer, all, all[40].timestamp + 3);  // lands inside a lace
  expect_seek(*demuxer, all, all[43].timestamp);
  try {
    demuxer->seek(all[10].timestamp);
    FAIL() << "seeked back on a stream";
  } catch (const engine::media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
    EXPECT_NE(std::string(e.what()).find("stream"), std::string::npos) << e.what();
  }
  // The refused seek left the position as it was: packet 46 comes next.
  const auto packet = demuxer->next();
  ASSERT_TRUE(packet);
  EXPECT_EQ(packet->timestamp, all[46].timestamp);
  ASSERT_EQ(demuxer->seek(all[300].timestamp + 100), all[300].timestamp);
  expect_seek(*demuxer, all, all[300].timestamp + 200);  // again before reading: the held packet stays
  // Past the end: the last packet, then the end.
  ASSERT_EQ(demuxer->seek(9'000'000'000), all.back().timestamp);
  EXPECT_TRUE(demuxer->next());
  EXPECT_FALSE(demuxer->next());
  EXPECT_THROW(demuxer->seek(0), engine::media_error);
}

TEST(WebmSeekStream, LiveLayoutForwardSeek) {
  const auto bytes = with_unknown_sizes(read_file(fixture("ff_stereo_live.webm")));
  const auto all = read_all(*open_webm_bytes(bytes, false));
  const auto demuxer = open_webm_bytes(bytes, false);
  expect_seek(*demuxer, all, all[250].timestamp + 10);
  expect_seek(*demuxer, all, all[500].timestamp);
}

}  // namespace
}  // namespace spence::test
