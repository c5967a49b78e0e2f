// Every rule the WAV reader enforces, broken on purpose: each ends with the stated media_error
// naming the source, or (for the lies the reader tolerates) with the audio that is really there.

#include "engine/memory_source.hpp"
#include "engine/wav/wav_header.hpp"
#include "engine/wav/wav_source.hpp"
#include "tests/engine/pcm_compare.hpp"
#include "tests/engine/mp3/stream_sources.hpp"
#include "tests/engine/wav/wav_builder.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

using test::bytes;
using test::chunk;
using test::fmt_body;
using test::riff;

std::unique_ptr<pcm_source> open_bytes(bytes b, bool seekable = true) {
  if (seekable) return open_wav(std::make_unique<byte_reader>(std::make_unique<memory_source>(std::move(b), "bad.wav")));
  return open_wav(std::make_unique<byte_reader>(std::make_unique<test::stream_source>(std::move(b), 3, "bad.wav")));
}

// The error open_wav throws, or nullopt if it opened.
std::optional<media_errc> open_error(bytes b, bool seekable = true) {
  try {
    open_bytes(std::move(b), seekable);
    return std::nullopt;
  } catch (const media_error& e) {
    EXPECT_EQ(e.source(), "bad.wav");
    return e.code();
  }
}

const bytes fmt_s16_stereo = chunk("fmt ", fmt_body(1, 2, 44100, 16));
const bytes four_frames = test::s16({1, 2, 3, 4, 5, 6, 7, 8});

bytes valid_wav() { return riff({fmt_s16_stereo, chunk("LIST", bytes(9, 'x')), chunk("data", four_frames)}); }

TEST(WavMalformed, EveryTruncationFailsInTheHeaderAndDropsPartialFramesInTheData) {
  const bytes whole = valid_wav();
  const std::size_t data_offset = whole.size() - four_frames.size();
  for (const bool seekable : {true, false}) {
    for (std::size_t n = 0; n <= whole.size(); ++n) {
      SCOPED_TRACE(testing::Message() << n << (seekable ? " file" : " stream"));
      const bytes prefix(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(n));
      if (n < data_offset) {
        EXPECT_EQ(open_error(prefix, seekable), media_errc::truncated);
        continue;
      }
      const auto source = open_bytes(prefix, seekable);
      const std::size_t frames = (n - data_offset) / 4;
      if (seekable) EXPECT_EQ(source->duration_frames(), static_cast<std::int64_t>(frames)) << "clamped to the file";
      EXPECT_EQ(test::read_all(*source).size(), frames * 2);
    }
  }
}

TEST(WavMalformed, DataSizeLargerThanTheFileIsClamped) {
  const bytes b = riff({fmt_s16_stereo, chunk("data", test::s16({1, 2, 3, 4, 5}), 1'000'000)});
  for (const bool seekable : {true, false}) {
    const auto source = open_bytes(b, seekable);
    if (seekable) EXPECT_EQ(source->duration_frames(), 2);
    EXPECT_EQ(test::read_all(*source), (std::vector<float>{1 / 32768.f, 2 / 32768.f, 3 / 32768.f, 4 / 32768.f}));
  }
}

TEST(WavMalformed, DataSizeSmallerThanTheFileEndsAtTheDeclaredSize) {
  const bytes b = riff({fmt_s16_stereo, chunk("data", four_frames, 8), chunk("LIST", bytes(8, 'z'))});
  const auto source = open_bytes(b);
  EXPECT_EQ(source->duration_frames(), 2);
  EXPECT_EQ(test::read_all(*source).size(), 4u);
}

TEST(WavMalformed, StreamedSizesReadUntilTheEnd) {
  for (const std::uint32_t size : {0u, 0xFFFFFFFFu}) {
    const bytes b = riff({fmt_s16_stereo, chunk("data", test::s16({1, 2, 3, 4, 5, 6, 7}), size)}, size);
    for (const bool seekable : {true, false}) {
      const auto source = open_bytes(b, seekable);
      EXPECT_EQ(source->duration_frames(), seekable ? std::optional<std::int64_t>(3) : std::nullopt);
      EXPECT_EQ(test::read_all(*source).size(), 6u) << "the partial frame dropped";
    }
  }
}

TEST(WavMalformed, RiffSizeLiesAreTolerated) {
  for (const std::uint32_t size : {0u, 4u, 0xFFFFFFFFu, 12345u}) {
    const auto source = open_bytes(riff({fmt_s16_stereo, chunk("data", four_frames)}, size));
    EXPECT_EQ(test::read_all(*source).size(), 8u);
  }
}

TEST(WavMalformed, ChunksInAnyOrderWithOddPadding) {
  const bytes b = riff({chunk("bext", bytes(3, 'b')), chunk("fact", bytes(4, 0)), fmt_s16_stereo,
                        chunk("JUNK", bytes(1, 0)), chunk("data", four_frames)});
  EXPECT_EQ(test::read_all(*open_bytes(b, false)).size(), 8u);
}

TEST(WavMalformed, HeaderErrors) {
  EXPECT_EQ(open_error({}), media_errc::truncated) << "empty";
  EXPECT_EQ(open_error(bytes{'R', 'I', 'F', 'F', 0, 0, 0, 0, 'A', 'V', 'I', ' '}), media_errc::malformed) << "not WAVE";
  EXPECT_EQ(open_error(bytes{'R', 'I', 'F', 'X', 0, 0, 0, 0, 'W', 'A', 'V', 'E'}), media_errc::unsupported_format);
  EXPECT_EQ(open_error(riff({chunk("data", four_frames)})), media_errc::malformed) << "fmt missing";
  EXPECT_EQ(open_error(riff({chunk("data", four_frames), fmt_s16_stereo})), media_errc::malformed) << "data before fmt";
  EXPECT_EQ(open_error(riff({fmt_s16_stereo})), media_errc::truncated) << "no data chunk";
  EXPECT_EQ(open_error(riff({fmt_s16_stereo, fmt_s16_stereo, chunk("data", four_frames)})), media_errc::malformed)
      << "two fmt chunks";
  EXPECT_EQ(open_error(riff({chunk("fmt ", bytes(10, 0)), chunk("data", four_frames)})), media_errc::malformed)
      << "fmt too short";
}

TEST(WavMalformed, HugeChunkSizesAreLimitsOrTruncation) {
  const bytes data = chunk("data", four_frames);
  EXPECT_EQ(open_error(riff({chunk("LIST", bytes(4, 0), 0xFFFFFFF0), fmt_s16_stereo, data})), media_errc::limit_exceeded);
  EXPECT_EQ(open_error(riff({chunk("LIST", bytes(4, 0), 1'000'000), fmt_s16_stereo, data})), media_errc::truncated)
      << "within the limit, past the end";
  EXPECT_EQ(open_error(riff({chunk("LIST", bytes(4, 0), 1'000'000), fmt_s16_stereo, data}), false), media_errc::truncated);
  EXPECT_EQ(open_error(riff({chunk("fmt ", fmt_body(1, 2, 44100, 16), 0x10000), data})), media_errc::limit_exceeded);
}

TEST(WavMalformed, FmtFieldErrors) {
  const auto with_fmt = [](const bytes& body) { return riff({chunk("fmt ", body), chunk("data", bytes(64, 0))}); };
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 44100, 16, 0))), media_errc::malformed) << "block_align 0";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 44100, 16, 3))), media_errc::malformed) << "block_align inconsistent";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 0, 44100, 16))), media_errc::malformed) << "channels 0";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 44100, 0, 4))), media_errc::malformed) << "bits 0";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 44100, 13))), media_errc::unsupported_codec) << "bits 13";
  EXPECT_EQ(open_error(with_fmt(fmt_body(3, 2, 44100, 16))), media_errc::unsupported_codec) << "16-bit float";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 9, 44100, 16))), media_errc::unsupported_codec) << "9 channels";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 0, 16))), media_errc::malformed) << "rate 0";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 4000, 16))), media_errc::unsupported_codec) << "rate too low";
  EXPECT_EQ(open_error(with_fmt(fmt_body(1, 2, 400000, 16))), media_errc::unsupported_codec) << "rate too high";
  EXPECT_EQ(open_error(with_fmt(fmt_body(0x55, 2, 44100, 0, 1))), media_errc::unsupported_codec) << "MP3 in WAV";
}

TEST(WavMalformed, ExtensibleErrors) {
  const auto with_fmt = [](const bytes& body) { return riff({chunk("fmt ", body), chunk("data", bytes(64, 0))}); };
  EXPECT_EQ(open_error(with_fmt(test::extensible_body(1, 2, 48000, 32, 24))), std::nullopt) << "24 valid bits in 32";
  EXPECT_EQ(open_error(with_fmt(test::extensible_body(3, 2, 48000, 64, 64))), std::nullopt);
  EXPECT_EQ(open_error(with_fmt(test::extensible_body(1, 2, 48000, 16, 20))), media_errc::malformed) << "valid > container";
  EXPECT_EQ(open_error(with_fmt(test::extensible_body(1, 2, 48000, 16, 16, 10))), media_errc::malformed) << "cbSize";
  bytes short_body = test::extensible_body(1, 2, 48000, 16, 16);
  short_body.resize(30);
  EXPECT_EQ(open_error(with_fmt(short_body)), media_errc::malformed) << "extension cut";
  bytes odd_guid = test::extensible_body(1, 2, 48000, 16, 16);
  odd_guid.back() ^= 1;
  EXPECT_EQ(open_error(with_fmt(odd_guid)), media_errc::unsupported_codec) << "unknown sub-format GUID";
  EXPECT_EQ(open_error(with_fmt(test::extensible_body(2, 2, 48000, 4, 4))), media_errc::unsupported_codec) << "ADPCM";
}

TEST(WavMalformed, EndlessChunksStopAtTheHeaderLimit) {
  // "RIFF....WAVE" then empty JUNK chunks forever.
  const auto pattern = [](std::uint64_t i) -> std::uint8_t {
    static constexpr std::uint8_t head[12] = {'R', 'I', 'F', 'F', 0, 0, 0, 0, 'W', 'A', 'V', 'E'};
    static constexpr std::uint8_t junk[8] = {'J', 'U', 'N', 'K', 0, 0, 0, 0};
    return i < 12 ? head[i] : junk[(i - 12) % 8];
  };
  std::uint64_t served = 0;
  try {
    open_wav(std::make_unique<byte_reader>(std::make_unique<test::endless_source>(pattern, served)));
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::limit_exceeded) << e.what();
  }
  EXPECT_LE(served, wav_max_header_bytes + byte_reader::default_capacity);
}

TEST(WavMalformed, EndlessDataIsAnEndlessStreamNotAnError) {
  const auto pattern = [](std::uint64_t i) -> std::uint8_t {
    static const bytes header = riff({fmt_s16_stereo, chunk("data", {}, 0xFFFFFFFF)}, 0xFFFFFFFF);
    return i < header.size() ? header[i] : static_cast<std::uint8_t>(i);
  };
  std::uint64_t served = 0;
  const auto wav = open_wav(std::make_unique<byte_reader>(std::make_unique<test::endless_source>(pattern, served)));
  EXPECT_EQ(wav->duration_frames(), std::nullopt);
  for (int i = 0; i < 100; ++i) ASSERT_EQ(wav->read(1000).frames(), 1000u);
}

}  // namespace
}  // namespace spence::engine
