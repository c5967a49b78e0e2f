// Bad MP3 input ends with a media_error naming the source, after a bounded amount of input; it
// never crashes, hangs or yields audio out of [-1, 1].

#include "engine/memory_source.hpp"
#include "engine/mp3/mp3_source.hpp"
#include "engine/mp3/mpg123_setup.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/pcm_compare.hpp"
#include "tests/engine/mp3/stream_sources.hpp"

#include <gtest/gtest.h>

#include <random>

namespace spence::engine {
namespace {

std::vector<std::uint8_t> fixture_bytes(const char* name) { return test::read_file(test::fixture(name)); }

std::unique_ptr<pcm_source> open_bytes(std::vector<std::uint8_t> bytes, bool seekable) {
  if (seekable) return open_mp3(std::make_unique<byte_reader>(std::make_unique<memory_source>(std::move(bytes), "bad.mp3")));
  return open_mp3(std::make_unique<byte_reader>(std::make_unique<test::stream_source>(std::move(bytes), 4096, "bad.mp3")));
}

struct outcome {
  std::optional<media_errc> error;  // nullopt when the input decoded to its end
  std::size_t samples = 0;          // decoded before the end or the error
};

// Opens and reads everything, checking every sample's range.
outcome decode(std::vector<std::uint8_t> bytes, bool seekable) {
  outcome result;
  try {
    const auto source = open_bytes(std::move(bytes), seekable);
    for (pcm_block block = source->read(1000); !block.samples.empty(); block = source->read(1000)) {
      result.samples += block.samples.size();
      for (const float s : block.samples)
        if (!(s >= -1.0f && s <= 1.0f)) ADD_FAILURE() << "sample out of range: " << s;
    }
  } catch (const media_error& e) {
    EXPECT_EQ(e.source(), "bad.mp3");
    result.error = e.code();
  }
  return result;
}

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

class Malformed : public ::testing::TestWithParam<bool> {};

TEST_P(Malformed, EmptyInputHasNoFrames) {
  EXPECT_EQ(decode({}, GetParam()).error, media_errc::malformed);
}

TEST_P(Malformed, JunkHasNoFrames) {
  EXPECT_EQ(decode(random_bytes(200'000, 1), GetParam()).error, media_errc::malformed);
  EXPECT_EQ(decode(std::vector<std::uint8_t>(200'000, 0), GetParam()).error, media_errc::malformed);
}

TEST_P(Malformed, TagWithoutAudioHasNoFrames) {
  std::vector<std::uint8_t> tag_only{'I', 'D', '3', 3, 0, 0, 0, 0, 0, 20};
  tag_only.resize(30, 0);
  EXPECT_EQ(decode(tag_only, GetParam()).error, media_errc::malformed);
}

// Cut inside the ID3v2 tag: truncated when the tag is skipped here (streams), no frames when
// libmpg123 skips it (files). Cut after the first frames: what is there decodes.
TEST_P(Malformed, EveryTruncationDecodesWhatIsThereOrFails) {
  const auto whole = fixture_bytes("cbr_stereo_44k.mp3");
  for (std::size_t n = 0; n < 4000; n += 3) {
    SCOPED_TRACE(n);
    const auto error = decode({whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n)}, GetParam()).error;
    if (n > 2000) EXPECT_EQ(error, std::nullopt);
    if (error) EXPECT_TRUE(*error == media_errc::malformed || *error == media_errc::truncated);
  }
}

TEST_P(Malformed, CorruptedFramesDecodeOrFailCleanly) {
  const auto whole = fixture_bytes("vbr_stereo_22k.mp3");
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    auto bytes = whole;
    for (int i = 0; i < 30; ++i) bytes[rng() % bytes.size()] = static_cast<std::uint8_t>(rng());
    decode(std::move(bytes), GetParam());
  }
}

std::vector<std::uint8_t> with_junk_inside(const std::vector<std::uint8_t>& junk) {
  auto bytes = fixture_bytes("stream_44k.mp3");
  bytes.insert(bytes.begin() + 20'000, junk.begin(), junk.end());
  return bytes;
}

// The junk in these tests is zeros: random junk holds the odd valid-looking frame header, which
// decodes to a frame of noise (in any decoder) and starts the count of junk over.
std::vector<std::uint8_t> zeros(std::size_t n) { return std::vector<std::uint8_t>(n, 0); }

TEST_P(Malformed, JunkWithinTheResyncLimitIsSkipped) {
  const std::size_t all_samples = decode(fixture_bytes("stream_44k.mp3"), GetParam()).samples;
  const outcome result = decode(with_junk_inside(zeros(mpg123_resync_limit / 2)), GetParam());
  EXPECT_EQ(result.error, std::nullopt);
  EXPECT_EQ(result.samples, all_samples);
}

INSTANTIATE_TEST_SUITE_P(Mp3, Malformed, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "file" : "stream"; });

// libmpg123 reports damaged frames on stderr unless told not to; spence logs through its own means.
TEST(Mp3Malformed, LibraryStaysQuiet) {
  auto damaged = fixture_bytes("stream_44k.mp3");
  for (std::size_t i = 5000; i < 30000; i += 997) damaged[i] ^= 0x5A;
  const auto junk_inside = [&] {
    auto b = fixture_bytes("cbr_stereo_44k.mp3");
    const auto junk = random_bytes(5000, 9);
    b.insert(b.begin() + 10'000, junk.begin(), junk.end());
    return b;
  }();
  testing::internal::CaptureStderr();
  for (const bool seekable : {true, false}) {
    decode(damaged, seekable);
    decode(junk_inside, seekable);
    decode(random_bytes(100'000, 5), seekable);
  }
  EXPECT_EQ(testing::internal::GetCapturedStderr(), "");
}

// libmpg123 gives up on junk beyond its resync limit while it reads a file itself.
TEST(Mp3Malformed, JunkBeyondTheResyncLimitEndsAFile) {
  const outcome result = decode(with_junk_inside(zeros(2 * mpg123_resync_limit)), true);
  EXPECT_EQ(result.error, media_errc::malformed);
  EXPECT_GT(result.samples, 0u) << "the audio before the junk";
}

// Fed in chunks, libmpg123 starts its resync count over with each one; there the bound on input
// without audio is what ends junk.
TEST(Mp3Malformed, JunkBeyondTheInputBoundEndsAStream) {
  EXPECT_EQ(decode(with_junk_inside(zeros(2 * mpg123_resync_limit)), false).error, std::nullopt);
  const outcome result = decode(with_junk_inside(zeros(2 * 1024 * 1024)), false);
  EXPECT_EQ(result.error, media_errc::malformed);
  EXPECT_GT(result.samples, 0u) << "the audio before the junk";
}

TEST(Mp3Malformed, Id3v2TagLongerThanTheStreamIsTruncated) {
  auto bytes = fixture_bytes("stream_44k.mp3");
  const std::vector<std::uint8_t> tag{'I', 'D', '3', 4, 0, 0, 0x7F, 0x7F, 0x7F, 0x7F};
  bytes.insert(bytes.begin(), tag.begin(), tag.end());
  EXPECT_EQ(decode(std::move(bytes), false).error, media_errc::truncated);
}

// An endless source of junk must end with an error after a bounded amount of input.
struct endless_case {
  const char* name;
  std::function<std::uint8_t(std::uint64_t)> pattern;
};

class EndlessJunk : public ::testing::TestWithParam<endless_case> {};

TEST_P(EndlessJunk, EndsWithAnErrorAfterBoundedInput) {
  std::uint64_t served = 0;
  try {
    const auto mp3 = open_mp3(std::make_unique<byte_reader>(std::make_unique<test::endless_source>(GetParam().pattern, served)));
    test::read_all(*mp3);
    FAIL() << "an endless junk stream ended";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::malformed) << e.what();
  }
  EXPECT_LT(served, 4u * 1024 * 1024);
}

std::uint8_t lcg_byte(std::uint64_t i) { return static_cast<std::uint8_t>((i * 6364136223846793005ull + 1442695040888963407ull) >> 56); }

INSTANTIATE_TEST_SUITE_P(
    Mp3, EndlessJunk,
    ::testing::Values(
        endless_case{"random", lcg_byte}, endless_case{"zeros", [](std::uint64_t) -> std::uint8_t { return 0; }},
        endless_case{"ones", [](std::uint64_t) -> std::uint8_t { return 0xFF; }},
        // libmpg123 skips a RIFF header up to its "data" chunk, looking for it without limit.
        endless_case{"riff_without_data",
                     [](std::uint64_t i) -> std::uint8_t { return i < 4 ? "RIFF"[i] : static_cast<std::uint8_t>('a' + i % 3); }},
        // Empty ID3v2 tags, one after another, forever.
        endless_case{"tags_forever",
                     [](std::uint64_t i) -> std::uint8_t {
                       static constexpr std::uint8_t tag[10] = {'I', 'D', '3', 3, 0, 0, 0, 0, 0, 0};
                       return tag[i % 10];
                     }}),
    [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace spence::engine
