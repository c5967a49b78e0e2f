#include "engine/media_probe.hpp"
#include "engine/memory_source.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

container probe(std::vector<std::uint8_t> bytes) {
  byte_reader reader(std::make_unique<memory_source>(std::move(bytes), "probe"));
  const container c = detect_container(reader);
  EXPECT_EQ(reader.position(), 0u) << "detection must not consume";
  return c;
}

// The literal's bytes, embedded NULs included, without its terminator.
template <std::size_t N>
std::vector<std::uint8_t> bytes(const char (&s)[N]) {
  return {s, s + N - 1};
}

// An MPEG-1 layer III frame header, 128 kbit/s, 44.1 kHz, no padding: 417-byte frames.
std::vector<std::uint8_t> mp3_frames(std::size_t lead_garbage, int frames) {
  std::vector<std::uint8_t> out(lead_garbage, 0x55);
  for (int i = 0; i < frames; ++i) {
    const std::size_t at = out.size();
    out.resize(at + 417, 0);
    out[at] = 0xFF; out[at + 1] = 0xFB; out[at + 2] = 0x90; out[at + 3] = 0x64;
  }
  return out;
}

TEST(MediaProbe, RecognisesContainersByMagic) {
  EXPECT_EQ(probe(bytes("\x1A\x45\xDF\xA3 rest")), container::webm);
  EXPECT_EQ(probe(bytes("OggS\0\2")), container::ogg);
  EXPECT_EQ(probe(bytes("RIFF\x24\0\0\0WAVEfmt ")), container::wav);
  EXPECT_EQ(probe(bytes("RF64\xff\xff\xff\xffWAVEds64")), container::wav);
  EXPECT_EQ(probe(bytes("ID3\4\0\0\0\0\0\0")), container::mp3);
  EXPECT_EQ(probe(bytes("\0\0\0\x20" "ftypisom")), container::mp4);
  EXPECT_EQ(probe(bytes("fLaC\0\0\0\x22")), container::flac);
  EXPECT_EQ(probe({0xFF, 0xF1, 0x50, 0x80}), container::aac_adts);
}

TEST(MediaProbe, FindsMp3JoinedMidStream) {
  EXPECT_EQ(probe(mp3_frames(0, 3)), container::mp3);
  EXPECT_EQ(probe(mp3_frames(123, 3)), container::mp3);
  // One lone header is not enough: random bytes contain 0xFFFB often enough.
  EXPECT_EQ(probe(mp3_frames(0, 1)), container::unknown);
}

TEST(MediaProbe, EmptyAndGarbageAreUnknown) {
  EXPECT_EQ(probe({}), container::unknown);
  EXPECT_EQ(probe(bytes("hello, this is not audio")), container::unknown);
}

}  // namespace
}  // namespace spence::engine
