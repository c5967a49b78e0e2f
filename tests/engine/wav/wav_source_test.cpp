// The WAV reader against ffmpeg's decode of the same files, written by sox and ffmpeg at test time.
// The conversion to float is exact (see wav_samples.hpp) and ffmpeg's is the same, so every sample
// must be bit-identical.

#include "engine/file_source.hpp"
#include "engine/memory_source.hpp"
#include "engine/wav/wav_source.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/pcm_compare.hpp"
#include "tests/engine/mp3/stream_sources.hpp"
#include "tests/engine/wav/wav_builder.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

using test::fixture;

enum class input { file, stream };

std::unique_ptr<pcm_source> open(const std::string& name, input how) {
  if (how == input::file)
    return open_wav(std::make_unique<byte_reader>(std::make_unique<file_source>(fixture(name))));
  return open_wav(std::make_unique<byte_reader>(
      std::make_unique<test::stream_source>(test::read_file(fixture(name)), 1500, name)));
}

struct wav_case {
  std::string name;
  pcm_format format;
  friend void PrintTo(const wav_case& c, std::ostream* os) { *os << c.name; }
};

class MatchesFfmpeg : public ::testing::TestWithParam<std::tuple<wav_case, input>> {};

TEST_P(MatchesFfmpeg, BitIdentical) {
  const auto& [c, how] = GetParam();
  const auto source = open(c.name + ".wav", how);
  EXPECT_EQ(source->format(), c.format);
  const std::vector<float> reference = test::read_f32(fixture(c.name + ".f32"));
  const auto reference_frames = static_cast<std::int64_t>(reference.size() / c.format.channels);
  // A streamed WAV read from a stream is the one case without a known length.
  if (how == input::stream && c.name.starts_with("streamed")) {
    EXPECT_EQ(source->duration_frames(), std::nullopt);
  } else {
    EXPECT_EQ(source->duration_frames(), reference_frames);
  }
  const auto segments = test::read_segments(*source, 777);
  ASSERT_EQ(segments.size(), 1u);
  EXPECT_EQ(segments[0].format, c.format);
  ASSERT_EQ(segments[0].samples.size(), reference.size());
  EXPECT_EQ(std::memcmp(segments[0].samples.data(), reference.data(), reference.size() * sizeof(float)), 0);
}

INSTANTIATE_TEST_SUITE_P(
    Wav, MatchesFfmpeg,
    ::testing::Combine(::testing::Values(wav_case{"u8_mono_8k", {8000, 1}},
                                         wav_case{"s16_stereo_44k", {44100, 2}},
                                         wav_case{"s24_plain_stereo_96k", {96000, 2}},
                                         wav_case{"s24_ext_stereo_48k", {48000, 2}},
                                         wav_case{"f32_plain_mono_22k", {22050, 1}},
                                         wav_case{"f64_plain_stereo_44k", {44100, 2}},
                                         wav_case{"s16_mono_384k", {384000, 1}},
                                         wav_case{"s16_8ch_8k", {8000, 8}},
                                         wav_case{"s32_ext_stereo_44k", {44100, 2}},
                                         wav_case{"f32_ext_stereo_44k", {44100, 2}},
                                         wav_case{"f64_ext_stereo_44k", {44100, 2}},
                                         wav_case{"s16_ext_6ch_48k", {48000, 6}},
                                         wav_case{"rf64_s16_stereo_44k", {44100, 2}},
                                         wav_case{"streamed_s16_stereo_44k", {44100, 2}}),
                       ::testing::Values(input::file, input::stream)),
    [](const auto& info) {
      return std::get<0>(info.param).name + (std::get<1>(info.param) == input::file ? "_file" : "_stream");
    });

class Unsupported : public ::testing::TestWithParam<std::pair<const char*, const char*>> {};

TEST_P(Unsupported, NamesTheFormat) {
  const auto& [name, expected] = GetParam();
  try {
    open(name, input::file);
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::unsupported_codec);
    EXPECT_EQ(e.source(), fixture(name).string());
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Wav, Unsupported,
    ::testing::Values(std::pair{"unsupported_adpcm_ms.wav", "format tag 0x0002 (Microsoft ADPCM)"},
                      std::pair{"unsupported_ima_adpcm.wav", "format tag 0x0011 (IMA ADPCM)"},
                      std::pair{"unsupported_mulaw.wav", "format tag 0x0007 (mu-law)"},
                      std::pair{"unsupported_alaw.wav", "format tag 0x0006 (A-law)"},
                      std::pair{"unsupported_mp3.wav", "format tag 0x0055 (MPEG layer III)"},
                      std::pair{"unsupported_9ch.wav", "9 channels"}),
    [](const auto& info) {
      const std::string name = info.param.first;
      return name.substr(0, name.find('.'));
    });

class SeekIsExact : public ::testing::TestWithParam<std::string> {};

TEST_P(SeekIsExact, FrameAfterSeekEqualsSequentialRead) {
  const auto sequential = open(GetParam(), input::file);
  const std::uint16_t channels = sequential->format().channels;
  const std::vector<float> all = test::read_all(*sequential);
  const auto frames = static_cast<std::int64_t>(all.size() / channels);
  const auto source = open(GetParam(), input::file);
  for (const std::int64_t target : {frames / 2, std::int64_t{0}, std::int64_t{1}, frames - 1, std::int64_t{4097}, frames}) {
    SCOPED_TRACE(target);
    ASSERT_EQ(source->seek(target), target);
    const std::vector<float> got = test::read_all(*source, 500);
    ASSERT_EQ(got.size(), all.size() - static_cast<std::size_t>(target) * channels);
    EXPECT_TRUE(std::equal(got.begin(), got.end(), all.begin() + target * channels));
  }
  EXPECT_EQ(source->seek(frames + 1000), frames) << "clamped to the end";
  EXPECT_TRUE(source->read(10).samples.empty());
  EXPECT_EQ(source->seek(-3), 0);
}

INSTANTIATE_TEST_SUITE_P(Wav, SeekIsExact,
                         ::testing::Values("s24_ext_stereo_48k.wav", "s16_ext_6ch_48k.wav", "streamed_s16_stereo_44k.wav",
                                           "rf64_s16_stereo_44k.wav", "f64_plain_stereo_44k.wav"),
                         [](const auto& info) { return info.param.substr(0, info.param.find('.')); });

TEST(WavSource, StreamCannotSeek) {
  const auto source = open("s16_stereo_44k.wav", input::stream);
  try {
    source->seek(10);
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
  }
}

TEST(WavSource, BlocksAreBoundedAndFullUntilTheEnd) {
  const auto source = open("s16_stereo_44k.wav", input::file);
  std::vector<std::size_t> sizes;
  for (pcm_block b = source->read(1'000'000); !b.samples.empty(); b = source->read(1'000'000)) sizes.push_back(b.frames());
  ASSERT_EQ(sizes.size(), 3u);
  EXPECT_EQ(sizes[0], 4096u) << "one block never exceeds the reader's bound";
  EXPECT_EQ(sizes[1], 4096u);
  EXPECT_EQ(sizes[2], 11025u - 8192u);
}

}  // namespace
}  // namespace spence::engine
