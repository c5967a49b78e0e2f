// The MP3 reader against ffmpeg's own decoder, on files libmp3lame wrote at test time.
//
// Tolerance: libmpg123 and ffmpeg's mp3float are two independent float implementations of the same
// synthesis; they differ only by rounding, far below what anyone hears. Decoded audio must reach
// min_snr_db against ffmpeg's decode, sample-aligned (measured: 116 to 122 dB; the bound leaves room
// for other library versions, while an offset of a single sample drops these signals to ~20 dB).
// Both decoders honour the LAME tag's encoder delay and padding (gapless), so files with one must
// match at offset 0 and with the same length.

#include "engine/file_source.hpp"
#include "engine/memory_source.hpp"
#include "engine/mp3/mp3_source.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/pcm_compare.hpp"
#include "tests/engine/mp3/stream_sources.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

using test::fixture;
using test::pcm_segment;

constexpr double min_snr_db = 100;
constexpr std::size_t mpeg1_frame_samples = 1152;

enum class input { file, stream };

std::unique_ptr<pcm_source> open(const std::string& name, input how) {
  if (how == input::file)
    return open_mp3(std::make_unique<byte_reader>(std::make_unique<file_source>(fixture(name))));
  // Network-sized reads of a source that cannot seek: libmpg123 is fed, not handed a file.
  return open_mp3(std::make_unique<byte_reader>(
      std::make_unique<test::stream_source>(test::read_file(fixture(name)), 1400, name)));
}

struct decode_case {
  std::string name;
  pcm_format format;
  friend void PrintTo(const decode_case& c, std::ostream* os) { *os << c.name; }
};

class DecodesLikeFfmpeg : public ::testing::TestWithParam<std::tuple<decode_case, input>> {};

TEST_P(DecodesLikeFfmpeg, SameLengthAndWithinTolerance) {
  const auto& [c, how] = GetParam();
  const auto source = open(c.name + ".mp3", how);
  EXPECT_EQ(source->format(), c.format);
  const std::vector<float> reference = test::read_f32(fixture(c.name + ".f32"));
  const std::int64_t reference_frames = static_cast<std::int64_t>(reference.size() / c.format.channels);
  if (how == input::file) {
    EXPECT_EQ(source->duration_frames(), reference_frames) << "from the Xing/Info tag";
  } else {
    EXPECT_EQ(source->duration_frames(), std::nullopt);
  }

  const auto segments = test::read_segments(*source);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].format, c.format);
  ASSERT_EQ(segments[0].samples.size(), reference.size()) << "gapless: delay and padding trimmed";
  const double snr = test::snr_db(segments[0].samples, reference, reference.size());
  EXPECT_GE(snr, min_snr_db);
  RecordProperty("snr_db", std::to_string(snr));
}

INSTANTIATE_TEST_SUITE_P(
    Mp3, DecodesLikeFfmpeg,
    ::testing::Combine(::testing::Values(decode_case{"cbr_stereo_44k", {44100, 2}},
                                         decode_case{"vbr_mono_48k", {48000, 1}},
                                         decode_case{"vbr_stereo_22k", {22050, 2}},
                                         decode_case{"tagged_stereo_44k", {44100, 2}}),
                       ::testing::Values(input::file, input::stream)),
    [](const auto& info) {
      return std::get<0>(info.param).name + (std::get<1>(info.param) == input::file ? "_file" : "_stream");
    });

TEST(Mp3Source, BlocksAreFullUntilTheEnd) {
  const auto source = open("cbr_stereo_44k.mp3", input::file);
  std::vector<std::size_t> sizes;
  for (pcm_block block = source->read(1000); !block.samples.empty(); block = source->read(1000)) {
    EXPECT_EQ(block.samples.size() % 2, 0u);
    sizes.push_back(block.frames());
  }
  ASSERT_EQ(sizes.size(), 89u);
  EXPECT_EQ(std::count(sizes.begin(), sizes.end(), 1000u), 88);
  EXPECT_EQ(sizes.back(), 200u);
  EXPECT_TRUE(source->read(100).samples.empty()) << "the end stays the end";
}

// A listener joins a radio stream at an arbitrary byte. libmpg123 outputs silence for the frames
// whose bit reservoir lies in bytes never received (two here), and the next frame overlaps with
// that silence in the IMDCT; from then on, the audio must be the stream's, at a whole-frame offset.
TEST(Mp3Source, StreamJoinedMidFrameDecodesFromTheNextFrame) {
  const auto source = open("joined_mid_frame.mp3", input::stream);
  EXPECT_EQ(source->format(), (pcm_format{44100, 2}));
  const std::vector<float> decoded = test::read_all(*source);
  const std::vector<float> whole = test::read_f32(fixture("stream_44k.f32"));
  ASSERT_GT(decoded.size(), 0u);
  ASSERT_LT(decoded.size(), whole.size());

  const std::size_t skip = 3 * mpeg1_frame_samples * 2;
  ASSERT_GT(decoded.size(), skip + mpeg1_frame_samples * 2);
  const std::span<const float> compared = std::span(decoded).subspan(skip);
  double best_snr = -1e9;
  std::size_t best_offset = 0;
  for (std::size_t offset = 0; offset + decoded.size() <= whole.size(); offset += mpeg1_frame_samples * 2) {
    const double snr = test::snr_db(compared, std::span(whole).subspan(offset + skip), mpeg1_frame_samples * 2);
    if (snr > best_snr) best_snr = snr, best_offset = offset;
  }
  EXPECT_EQ(best_offset + decoded.size(), whole.size()) << "decoded through to the stream's end";
  EXPECT_GE(test::snr_db(compared, std::span(whole).subspan(best_offset + skip), compared.size()), min_snr_db);
}

class LargeTag : public ::testing::TestWithParam<input> {};

// Album art can take megabytes, more than the bound on input without audio: a tag is skipped, never
// counted as junk, and the audio behind it is the same as without it.
TEST_P(LargeTag, IsSkippedWhole) {
  const std::vector<std::uint8_t> untagged = test::read_file(fixture("stream_44k.mp3"));
  std::vector<std::uint8_t> tagged{'I', 'D', '3', 3, 0, 0, 0x01, 0x40, 0x00, 0x00};  // 3 MiB, synchsafe
  tagged.resize(tagged.size() + 3 * 1024 * 1024, 0);
  tagged.insert(tagged.end(), untagged.begin(), untagged.end());
  const auto make_source = [how = GetParam()](std::vector<std::uint8_t> bytes) -> std::unique_ptr<byte_source> {
    if (how == input::file) return std::make_unique<memory_source>(std::move(bytes), "tagged.mp3");
    return std::make_unique<test::stream_source>(std::move(bytes), 1400, "tagged.mp3");
  };
  const auto expected = open_mp3(std::make_unique<byte_reader>(make_source(untagged)));
  const auto source = open_mp3(std::make_unique<byte_reader>(make_source(std::move(tagged))));
  EXPECT_EQ(test::read_all(*source), test::read_all(*expected));
}

INSTANTIATE_TEST_SUITE_P(Mp3, LargeTag, ::testing::Values(input::file, input::stream),
                         [](const auto& info) { return info.param == input::file ? "file" : "stream"; });

class FormatChange : public ::testing::TestWithParam<input> {};

// Two streams concatenated byte-wise: 44.1 kHz stereo, then 32 kHz mono. Without Xing tags neither
// decoder trims anything, so each part must match ffmpeg's decode of that part on its own.
TEST_P(FormatChange, NextBlockCarriesTheNewFormat) {
  const auto source = open("rate_change.mp3", GetParam());
  EXPECT_EQ(source->format(), (pcm_format{44100, 2}));
  const auto segments = test::read_segments(*source, 700);
  ASSERT_EQ(segments.size(), 2u);
  const std::vector<float> first = test::read_f32(fixture("part_44k_stereo.f32"));
  const std::vector<float> second = test::read_f32(fixture("part_32k_mono.f32"));
  EXPECT_EQ(segments[0].format, (pcm_format{44100, 2}));
  EXPECT_EQ(segments[1].format, (pcm_format{32000, 1}));
  ASSERT_EQ(segments[0].samples.size(), first.size());
  ASSERT_EQ(segments[1].samples.size(), second.size());
  EXPECT_GE(test::snr_db(segments[0].samples, first, first.size()), min_snr_db);
  EXPECT_GE(test::snr_db(segments[1].samples, second, second.size()), min_snr_db);
}

INSTANTIATE_TEST_SUITE_P(Mp3, FormatChange, ::testing::Values(input::file, input::stream),
                         [](const auto& info) { return info.param == input::file ? "file" : "stream"; });

// After a seek, libmpg123 restarts its polyphase synthesis at a possibly different buffer phase, so
// the same samples can come out one float rounding apart (measured: at most 1.8e-7). A seek that
// missed by even one sample would differ by orders of magnitude more on these signals.
constexpr float max_seek_rounding = 1e-6f;

float max_difference(std::span<const float> a, std::span<const float> b) {
  float worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

class SeekIsSampleExact : public ::testing::TestWithParam<std::string> {};

TEST_P(SeekIsSampleExact, FrameAfterSeekEqualsSequentialDecode) {
  const auto sequential = open(GetParam(), input::file);
  const std::uint16_t channels = sequential->format().channels;
  const std::vector<float> all = test::read_all(*sequential);
  const std::int64_t frames = static_cast<std::int64_t>(all.size() / channels);
  const auto source = open(GetParam(), input::file);
  for (const std::int64_t target : {frames / 2, std::int64_t{0}, std::int64_t{1}, std::int64_t{1151},
                                    std::int64_t{1152}, std::int64_t{5000}, frames - 10, std::int64_t{777}}) {
    SCOPED_TRACE(target);
    ASSERT_EQ(source->seek(target), target);
    const std::vector<float> got = test::read_all(*source, 256);
    ASSERT_EQ(got.size(), all.size() - static_cast<std::size_t>(target) * channels);
    EXPECT_LE(max_difference(got, std::span(all).subspan(static_cast<std::size_t>(target) * channels)),
              max_seek_rounding);
  }
}

INSTANTIATE_TEST_SUITE_P(Mp3, SeekIsSampleExact,
                         ::testing::Values("cbr_stereo_44k.mp3", "vbr_mono_48k.mp3", "tagged_stereo_44k.mp3"),
                         [](const auto& info) { return info.param.substr(0, info.param.find('.')); });

TEST(Mp3Source, SeekPastTheEndClampsToTheEnd) {
  const auto source = open("vbr_stereo_22k.mp3", input::file);
  EXPECT_EQ(source->seek(1'000'000'000), 44100);
  EXPECT_TRUE(source->read(100).samples.empty());
  EXPECT_EQ(source->seek(-5), 0);
  EXPECT_EQ(source->read(100).frames(), 100u);
}

TEST(Mp3Source, StreamCannotSeek) {
  const auto source = open("stream_44k.mp3", input::stream);
  try {
    source->seek(1000);
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
    EXPECT_EQ(e.source(), "stream_44k.mp3");
  }
}

}  // namespace
}  // namespace spence::engine
