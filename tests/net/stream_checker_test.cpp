// The emulator's stream checker on real libopus packets: continuity, pacing, decoding and the Ogg
// file it writes, each fault counted as what it is.

#include "net/voice/stream_checker.hpp"
#include "net/voice/rtp_packetizer.hpp"

#include "engine/file_source.hpp"
#include "engine/media_open.hpp"
#include "engine/opus_encoder.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <numbers>

namespace spence::net {
namespace {

using namespace std::chrono_literals;
using clock = stream_checker::clock;

std::vector<std::vector<std::uint8_t>> sine_packets(std::size_t count) {
  engine::opus_encoder encoder({});
  std::vector<float> frame(2 * 960);
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::size_t p = 0; p < count; ++p) {
    for (std::size_t i = 0; i < 960; ++i) {
      const float v = 0.3f * static_cast<float>(std::sin(2 * std::numbers::pi * 440 * static_cast<double>(p * 960 + i) / 48000));
      frame[2 * i] = frame[2 * i + 1] = v;
    }
    auto packet = encoder.encode(frame);
    packets.emplace_back(packet.begin(), packet.end());
  }
  return packets;
}

rtp_header header(std::uint32_t ssrc, std::uint16_t sequence, std::uint32_t timestamp) {
  rtp_header h;
  h.ssrc = ssrc;
  h.sequence = sequence;
  h.timestamp = timestamp;
  return h;
}

TEST(stream_checker, AStreamOnTimeHasNoFault) {
  const auto packets = sine_packets(50);
  stream_checker checker;
  const auto start = clock::now();
  // Sequence and timestamp wrap inside the run: that is continuity too.
  for (std::size_t i = 0; i < packets.size(); ++i)
    checker.add(header(7, static_cast<std::uint16_t>(65530 + i), static_cast<std::uint32_t>(0xfffff000u + 960 * i)),
                packets[i], false, start + 20ms * i);
  auto stats = checker.stats();
  ASSERT_EQ(stats.size(), 1u);
  EXPECT_EQ(stats[0].ssrc, 7u);
  EXPECT_EQ(stats[0].packets, 50u);
  EXPECT_EQ(stats[0].lost + stats[0].duplicates + stats[0].late + stats[0].timestamp_jumps + stats[0].decode_errors, 0u);
  EXPECT_LT(stats[0].jitter_ms, 0.01);
  EXPECT_LT(stats[0].spacing_error.max, 10us);
}

TEST(stream_checker, WithoutDecodingOnlyTheRtpIsChecked) {
  const std::vector<std::uint8_t> not_opus{0xff, 0xff, 0xff};  // a code 3 packet with no frame count
  stream_checker decoding;
  stream_checker light(std::nullopt, false);
  const auto start = clock::now();
  for (std::uint16_t i = 0; i < 3; ++i) {
    decoding.add(header(9, i, 960u * i), not_opus, false, start + 20ms * i);
    light.add(header(9, static_cast<std::uint16_t>(i == 2 ? 3 : i), 960u * (i == 2 ? 3 : i)), not_opus, false, start + 20ms * i);
  }
  EXPECT_EQ(decoding.stats()[0].decode_errors, 3u);
  EXPECT_EQ(light.stats()[0].decode_errors, 0u);
  EXPECT_EQ(light.stats()[0].packets, 3u);
  EXPECT_EQ(light.stats()[0].lost, 1u);  // continuity is still checked
}

TEST(stream_checker, EndToEndEncryptedFramesAreCountedNotDecodedAndSilenceStillIs) {
  const std::vector<std::uint8_t> dave_frame{0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x0c, 0xfa, 0xfa};
  stream_checker checker;
  const auto start = clock::now();
  for (std::uint16_t i = 0; i < 4; ++i) {
    checker.add(header(5, i, 960u * i), i == 3 ? std::vector<std::uint8_t>(opus_silence_frame.begin(), opus_silence_frame.end())
                                               : dave_frame,
                true, start + 20ms * i);
  }
  EXPECT_EQ(checker.stats()[0].end_to_end_encrypted, 3u);
  EXPECT_EQ(checker.stats()[0].silence_frames, 1u);
  EXPECT_EQ(checker.stats()[0].decode_errors, 0u);
  EXPECT_EQ(checker.stats()[0].packets, 4u);
}

TEST(stream_checker, EachFaultIsCountedAsWhatItIs) {
  const auto packets = sine_packets(10);
  stream_checker checker;
  const auto start = clock::now();
  auto add = [&](std::uint16_t seq, std::uint32_t ts, std::span<const std::uint8_t> payload, clock::duration at) {
    checker.add(header(9, seq, ts), payload, false, start + at);
  };
  add(0, 0, packets[0], 0ms);
  add(1, 960, packets[1], 20ms);
  add(4, 3840, packets[4], 80ms);      // 2 and 3 lost
  add(3, 2880, packets[3], 81ms);      // late
  add(4, 3840, packets[4], 82ms);      // duplicate
  add(5, 9999, packets[5], 100ms);     // timestamp jump
  add(6, 10959, packets[6], 150ms);    // 30 ms late: jitter
  const std::uint8_t garbage[] = {0xff, 0xff};
  add(7, 11919, garbage, 160ms);       // not Opus
  const std::uint8_t silence[] = {0xf8, 0xff, 0xfe};
  add(8, 12879, silence, 180ms);
  const auto s = checker.stats().at(0);
  EXPECT_EQ(s.packets, 7u);
  EXPECT_EQ(s.lost, 2u);
  EXPECT_EQ(s.late, 1u);
  EXPECT_EQ(s.duplicates, 1u);
  EXPECT_EQ(s.timestamp_jumps, 1u);
  EXPECT_EQ(s.decode_errors, 1u);
  EXPECT_EQ(s.silence_frames, 1u);
  EXPECT_GT(s.jitter_ms, 1.0);
  EXPECT_GE(s.spacing_error.max, 29ms);
}

TEST(stream_checker, WritesEachStreamToAnOggFileThatReadsBack) {
  const auto dir = std::filesystem::temp_directory_path() / ("spence-checker-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto packets = sine_packets(25);
  {
    stream_checker checker(dir);
    for (std::uint32_t ssrc : {11u, 12u})
      for (std::size_t i = 0; i < packets.size(); ++i)
        checker.add(header(ssrc, static_cast<std::uint16_t>(i), static_cast<std::uint32_t>(960 * i)), packets[i], false,
                    clock::now());
    EXPECT_EQ(checker.stats().size(), 2u);
  }
  for (std::uint32_t ssrc : {11u, 12u}) {
    auto media = engine::open_media(std::make_unique<engine::file_source>(dir / (std::to_string(ssrc) + ".ogg")));
    ASSERT_TRUE(media.opus);
    std::size_t read = 0;
    while (auto p = media.opus->next()) {
      ASSERT_LT(read, packets.size());
      EXPECT_TRUE(std::equal(p->data.begin(), p->data.end(), packets[read].begin(), packets[read].end()));
      ++read;
    }
    EXPECT_EQ(read, packets.size());
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace spence::net
