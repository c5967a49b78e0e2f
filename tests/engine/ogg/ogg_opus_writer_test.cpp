// The Ogg Opus writer: what it writes demuxes back to the same packets, ffmpeg reads it, and the
// same packets always make the same bytes.

#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/file_source.hpp"
#include "tests/engine/ogg/ogg_test_support.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

namespace spence::test {
namespace {

using engine::ogg_opus_writer;

struct source_stream {
  engine::opus_head head;
  std::vector<packet_copy> packets;
};

source_stream demuxed(const std::string& name) {
  auto demuxer = open_bytes(read_file(fixture(name)));
  return {demuxer->info().head, read_all(*demuxer)};
}

std::string write_stream(const engine::opus_head& head, const std::vector<packet_copy>& packets,
                         std::uint32_t serial = 0x5350454E) {
  std::ostringstream out;
  ogg_opus_writer writer(out, head, serial, "spence test");
  for (const auto& p : packets) writer.write(p.bytes);
  writer.finish();
  return out.str();
}

std::vector<std::uint8_t> bytes_of(const std::string& s) { return {s.begin(), s.end()}; }

// Runs a command and returns its standard output.
std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[256];
  while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) out.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

void expect_same_head(const engine::opus_head& a, const engine::opus_head& b) {
  EXPECT_EQ(a.channels, b.channels);
  EXPECT_EQ(a.pre_skip, b.pre_skip);
  EXPECT_EQ(a.input_sample_rate, b.input_sample_rate);
  EXPECT_EQ(a.output_gain_q8, b.output_gain_q8);
  EXPECT_EQ(a.mapping_family, b.mapping_family);
  EXPECT_EQ(a.stream_count, b.stream_count);
  EXPECT_EQ(a.coupled_count, b.coupled_count);
  EXPECT_EQ(a.channel_mapping, b.channel_mapping);
}

TEST(OggOpusWriter, RoundTripsPacketsTimestampsAndHead) {
  for (const char* name : {"stereo44_60ms.opus", "mono48_20ms.opus"}) {
    const auto source = demuxed(name);
    auto demuxer = open_bytes(bytes_of(write_stream(source.head, source.packets)));
    expect_same_head(demuxer->info().head, source.head);
    EXPECT_EQ(read_all(*demuxer), source.packets) << name;
  }
}

TEST(OggOpusWriter, FfmpegReadsItAsOpusOfTheRightDuration) {
  const auto source = demuxed("stereo44_60ms.opus");
  const std::string path = ::testing::TempDir() + "spence_writer_test.opus";
  {
    std::ofstream file(path, std::ios::binary);
    file << write_stream(source.head, source.packets);
  }
  const std::string probed =
      run("ffprobe -v error -show_entries stream=codec_name,channels:format=duration -of default=nw=1 '" + path + "'");
  EXPECT_NE(probed.find("codec_name=opus"), std::string::npos) << probed;
  EXPECT_NE(probed.find("channels=2"), std::string::npos) << probed;
  const auto at = probed.find("duration=");
  ASSERT_NE(at, std::string::npos) << probed;
  const std::int64_t samples = source.packets.back().timestamp + 2880;
  EXPECT_NEAR(std::stod(probed.substr(at + 9)), static_cast<double>(samples) / 48000.0, 1e-3) << probed;
  // A full decode reports no error.
  EXPECT_EQ(run("ffmpeg -nostdin -v error -i '" + path + "' -f null - 2>&1"), "");
  std::remove(path.c_str());
}

TEST(OggOpusWriter, SamePacketsAndSerialMakeTheSameBytes) {
  const auto source = demuxed("mono48_20ms.opus");
  const std::string first = write_stream(source.head, source.packets, 99);
  EXPECT_EQ(first, write_stream(source.head, source.packets, 99));
  EXPECT_NE(first, write_stream(source.head, source.packets, 100));
}

TEST(OggOpusWriter, PagesComeAtLeastEverySecondAndTheLastEndsTheStream) {
  std::ostringstream out;
  ogg_opus_writer writer(out, make_head(1, 312), 5, "spence");
  const std::size_t headers = out.str().size();
  const auto tiny = opus_20ms(3);  // libogg alone would wait for 4 KiB: over 20 s of these
  for (int i = 0; i < 60; ++i) writer.write(tiny);
  EXPECT_GT(out.str().size(), headers) << "1.2 s written: a live reader has audio";
  for (int i = 0; i < 440; ++i) writer.write(tiny);
  writer.finish();
  writer.finish();
  const auto bytes = bytes_of(out.str());
  const auto pages = page_offsets(bytes);
  std::int64_t previous = 0;
  for (std::size_t i = 2; i < pages.size(); ++i) {
    ogg_page page{const_cast<std::uint8_t*>(bytes.data() + pages[i]), 27 + bytes[pages[i] + 26], nullptr, 0};
    const std::int64_t granule = ogg_page_granulepos(&page);
    EXPECT_LE(granule - previous, 48'000 + 960) << "page " << i;
    EXPECT_EQ(ogg_page_eos(&page) != 0, i + 1 == pages.size()) << "page " << i;
    previous = granule;
  }
  EXPECT_EQ(previous, 500 * 960);
}

TEST(OggOpusWriter, TheDestructorFinishes) {
  std::ostringstream out;
  {
    ogg_opus_writer writer(out, make_head(2, 312), 5, "spence");
    writer.write(opus_20ms());
  }
  auto demuxer = open_bytes(bytes_of(out.str()));
  EXPECT_EQ(read_all(*demuxer).size(), 1u);
  const auto bytes = bytes_of(out.str());
  EXPECT_EQ(bytes[page_offsets(bytes).back() + 5] & 4, 4) << "end of stream";
}

TEST(OggOpusWriter, PacketsLargerThanAPageSpanPagesAndComeBack) {
  std::vector<packet_copy> packets;
  for (int i = 0; i < 40; ++i) packets.push_back({opus_20ms(3000 + 977 * i), i * 960, 0});
  const std::string written = write_stream(make_head(2, 0), packets);
  auto demuxer = open_bytes(bytes_of(written));
  EXPECT_EQ(read_all(*demuxer), packets);
  // Some page ends inside a packet: its last lacing value is 255.
  const auto bytes = bytes_of(written);
  bool spanning = false;
  for (const std::size_t at : page_offsets(bytes)) spanning |= bytes[at + 26 + bytes[at + 26]] == 255;
  EXPECT_TRUE(spanning);
}

TEST(OggOpusWriter, NoAudioMakesHeadersOnly) {
  std::ostringstream out;
  ogg_opus_writer(out, make_head(1, 312), 5, "spence").finish();
  auto demuxer = open_bytes(bytes_of(out.str()));
  EXPECT_FALSE(demuxer->next().has_value());
}

TEST(OggOpusWriter, RejectsPacketsWithoutADurationAndWritesAfterFinish) {
  std::ostringstream out;
  ogg_opus_writer writer(out, make_head(1, 312), 5, "spence");
  EXPECT_EQ(error_of([&] { writer.write({}); }), media_errc::malformed);
  const std::uint8_t bad_code3[] = {0xFB, 0x00};
  EXPECT_EQ(error_of([&] { writer.write(bad_code3); }), media_errc::malformed);
  writer.finish();
  EXPECT_THROW(writer.write(opus_20ms()), std::logic_error);
}

// A stream buffer that takes `room` bytes and then fails every write.
class full_buffer final : public std::streambuf {
 public:
  explicit full_buffer(std::size_t room) : room_(room) {}

 protected:
  std::streamsize xsputn(const char*, std::streamsize n) override {
    const auto taken = std::min<std::streamsize>(n, static_cast<std::streamsize>(room_));
    room_ -= static_cast<std::size_t>(taken);
    return taken;
  }
  int_type overflow(int_type) override { return traits_type::eof(); }

 private:
  std::size_t room_;
};

TEST(OggOpusWriter, AFailingStreamIsAnIoError) {
  full_buffer none(0);
  std::ostream closed(&none);
  EXPECT_EQ(error_of([&] { ogg_opus_writer(closed, make_head(1), 5, "spence"); }), media_errc::io);

  full_buffer little(500);
  std::ostream small(&little);
  ogg_opus_writer writer(small, make_head(1, 312), 5, "spence");
  EXPECT_EQ(error_of([&] {
              for (int i = 0; i < 1000; ++i) writer.write(opus_20ms(200));
            }),
            media_errc::io);
  // The destructor finishes into the failed stream without throwing.
}

}  // namespace
}  // namespace spence::test
