// The documented scaling of each sample format, at the values where scaling goes wrong: both
// extremes, zero, one step off zero, and out-of-range floats.

#include "engine/memory_source.hpp"
#include "engine/wav/wav_samples.hpp"
#include "engine/wav/wav_source.hpp"
#include "tests/engine/pcm_compare.hpp"
#include "tests/engine/wav/wav_builder.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <limits>

namespace spence::engine {
namespace {

std::vector<float> convert(wav_sample_type type, const test::bytes& bytes) {
  std::vector<float> out(bytes.size() / wav_sample_bytes(type));
  convert_wav_samples(type, bytes, out);
  return out;
}

TEST(WavSamples, Unsigned8) {
  EXPECT_EQ(convert(wav_sample_type::uint8, {0, 1, 127, 128, 129, 255}),
            (std::vector<float>{-1.0f, -127 / 128.0f, -1 / 128.0f, 0.0f, 1 / 128.0f, 127 / 128.0f}));
}

TEST(WavSamples, Signed16) {
  EXPECT_EQ(convert(wav_sample_type::int16, test::s16({-32768, -1, 0, 1, 32767})),
            (std::vector<float>{-1.0f, -1 / 32768.0f, 0.0f, 1 / 32768.0f, 32767 / 32768.0f}));
}

TEST(WavSamples, Signed24) {
  EXPECT_EQ(convert(wav_sample_type::int24, {0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
                                             0xFF, 0xFF, 0x7F}),
            (std::vector<float>{-1.0f, -1 / 8388608.0f, 0.0f, 1 / 8388608.0f, 8388607 / 8388608.0f}));
}

TEST(WavSamples, Signed32RoundsToFloatThenScales) {
  test::bytes b;
  for (const std::int32_t v : {std::numeric_limits<std::int32_t>::min(), -1, 0, 256, std::numeric_limits<std::int32_t>::max()})
    test::put32(b, static_cast<std::uint32_t>(v));
  // 2^31 - 1 has no float of its own: it rounds to 2^31, which scales to exactly 1.
  EXPECT_EQ(convert(wav_sample_type::int32, b), (std::vector<float>{-1.0f, -1 / 2147483648.0f, 0.0f, 256 / 2147483648.0f, 1.0f}));
}

TEST(WavSamples, FloatsPassWithinRangeAndClampOutside) {
  test::bytes b32;
  for (const float v : {0.25f, -1.0f, 1.5f, -7.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()})
    test::put32(b32, std::bit_cast<std::uint32_t>(v));
  EXPECT_EQ(convert(wav_sample_type::float32, b32), (std::vector<float>{0.25f, -1.0f, 1.0f, -1.0f, 0.0f, 1.0f}));

  test::bytes b64;
  for (const double v : {0.1, -1e300, 1e300, std::numeric_limits<double>::quiet_NaN()}) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    test::put32(b64, static_cast<std::uint32_t>(bits));
    test::put32(b64, static_cast<std::uint32_t>(bits >> 32));
  }
  EXPECT_EQ(convert(wav_sample_type::float64, b64), (std::vector<float>{0.1f, -1.0f, 1.0f, 0.0f}));
}

TEST(WavSamples, ThroughTheReader) {
  const auto wav = test::riff({test::chunk("fmt ", test::fmt_body(1, 2, 8000, 16)),
                               test::chunk("data", test::s16({-32768, 32767, 16384, -16384}))});
  const auto source = open_wav(std::make_unique<byte_reader>(std::make_unique<memory_source>(wav, "edge.wav")));
  EXPECT_EQ(source->format(), (pcm_format{8000, 2}));
  EXPECT_EQ(test::read_all(*source), (std::vector<float>{-1.0f, 32767 / 32768.0f, 0.5f, -0.5f}));
}

}  // namespace
}  // namespace spence::engine
