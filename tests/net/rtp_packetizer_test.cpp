// The sending RTP stream: the exact header and nonce of each packet (decrypted again to check the
// payload), +1 sequence / +960 timestamp per frame with wrap-around, skipped frames advancing only
// the timestamp, the five silence frames after audio, and one reused buffer.

#include "net/voice/rtp_packetizer.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::net {
namespace {

using bytes = std::vector<std::uint8_t>;

std::array<std::uint8_t, transport_key_bytes> test_key() {
  std::array<std::uint8_t, transport_key_bytes> key{};
  std::iota(key.begin(), key.end(), std::uint8_t{1});
  return key;
}

bytes copy_of(std::span<const std::uint8_t> packet) { return {packet.begin(), packet.end()}; }
std::uint16_t sequence_of(std::span<const std::uint8_t> p) { return static_cast<std::uint16_t>(p[2] << 8 | p[3]); }
std::uint32_t be32_at(std::span<const std::uint8_t> p, std::size_t at) {
  return std::uint32_t{p[at]} << 24 | std::uint32_t{p[at + 1]} << 16 | std::uint32_t{p[at + 2]} << 8 | p[at + 3];
}
std::uint32_t timestamp_of(std::span<const std::uint8_t> p) { return be32_at(p, 4); }
std::uint32_t nonce_of(std::span<const std::uint8_t> p) { return be32_at(p, p.size() - 4); }

// Decrypts with a cipher of its own (same key), as a receiver would.
bytes opened(std::span<const std::uint8_t> packet, transport_mode mode) {
  const auto key = test_key();
  const transport_cipher receiver(mode, key);
  bytes plaintext;
  const auto error = receiver.open(packet, rtp_fixed_header_bytes, plaintext);
  EXPECT_FALSE(error) << error.message();
  return plaintext;
}

class rtp_packetizer_test : public testing::TestWithParam<transport_mode> {
 protected:
  std::array<std::uint8_t, transport_key_bytes> key_ = test_key();
  transport_cipher cipher_{GetParam(), key_};
};

TEST_P(rtp_packetizer_test, PacketsCarryDiscordsHeaderANonceFromOneAndTheFrame) {
  rtp_packetizer rtp(0x11223344, 7);
  const std::uint16_t sequence = rtp.next_sequence();
  EXPECT_EQ(rtp.next_nonce(), 1u);
  const bytes opus{0xfc, 0x01, 0x02, 0x03};

  const bytes first = copy_of(rtp.audio_packet(100, opus, cipher_));
  ASSERT_EQ(first.size(), rtp_fixed_header_bytes + opus.size() + transport_overhead);
  EXPECT_EQ(first[0], 0x80);
  EXPECT_EQ(first[1], 0x78);
  EXPECT_EQ(sequence_of(first), sequence);
  EXPECT_EQ(bytes(first.begin() + 8, first.begin() + 12), (bytes{0x11, 0x22, 0x33, 0x44}));
  EXPECT_EQ(bytes(first.end() - 4, first.end()), (bytes{0, 0, 0, 1}));
  EXPECT_EQ(opened(first, GetParam()), opus);

  const bytes second = copy_of(rtp.audio_packet(101, opus, cipher_));
  EXPECT_EQ(sequence_of(second), static_cast<std::uint16_t>(sequence + 1));
  EXPECT_EQ(timestamp_of(second), timestamp_of(first) + 960);
  EXPECT_EQ(bytes(second.end() - 4, second.end()), (bytes{0, 0, 0, 2}));
  EXPECT_EQ(opened(second, GetParam()), opus);
  EXPECT_EQ(rtp.next_nonce(), 3u);
  EXPECT_EQ(rtp.ssrc(), 0x11223344u);
}

INSTANTIATE_TEST_SUITE_P(modes, rtp_packetizer_test,
                         testing::Values(transport_mode::aead_aes256_gcm_rtpsize,
                                         transport_mode::aead_xchacha20_poly1305_rtpsize));

class rtp_packetizer_stream : public testing::Test {
 protected:
  std::array<std::uint8_t, transport_key_bytes> key_ = test_key();
  transport_cipher cipher_{transport_mode::aead_aes256_gcm_rtpsize, key_};
  const bytes opus_{0xfc, 0xaa};
};

TEST_F(rtp_packetizer_stream, StartsComeFromTheSeed) {
  auto start = [&](std::uint32_t seed) {
    rtp_packetizer rtp(1, seed);
    const auto packet = rtp.audio_packet(0, opus_, cipher_);
    return std::pair(sequence_of(packet), timestamp_of(packet));
  };
  // std::mt19937(42)'s first two outputs are 1608637542 and 3421126067.
  EXPECT_EQ(start(42), std::pair(static_cast<std::uint16_t>(1608637542u & 0xffff), 3421126067u));
  EXPECT_NE(start(42), start(43));
}

TEST_F(rtp_packetizer_stream, SkippedFramesAdvanceTheTimestampNotTheSequence) {
  rtp_packetizer rtp(1, 5);
  const bytes p10 = copy_of(rtp.audio_packet(10, opus_, cipher_));
  const bytes p11 = copy_of(rtp.audio_packet(11, opus_, cipher_));
  const bytes p14 = copy_of(rtp.audio_packet(14, opus_, cipher_));  // 12 and 13 skipped
  EXPECT_EQ(timestamp_of(p11) - timestamp_of(p10), 960u);
  EXPECT_EQ(timestamp_of(p14) - timestamp_of(p11), 3u * 960u);
  EXPECT_EQ(static_cast<std::uint16_t>(sequence_of(p14) - sequence_of(p11)), 1);
  EXPECT_EQ(nonce_of(p14), 3u);
  EXPECT_THROW(rtp.audio_packet(14, opus_, cipher_), std::invalid_argument);
  EXPECT_THROW(rtp.audio_packet(2, opus_, cipher_), std::invalid_argument);
  EXPECT_EQ(rtp.next_nonce(), 4u) << "a refused frame uses no nonce";
}

TEST_F(rtp_packetizer_stream, SequenceWrapsAt65536) {
  rtp_packetizer rtp(1, 9);
  const std::uint16_t start = rtp.next_sequence();
  std::uint16_t previous = sequence_of(rtp.audio_packet(0, opus_, cipher_));
  bool wrapped = false;
  for (std::uint64_t frame = 1; frame <= 65536; ++frame) {
    const std::uint16_t sequence = sequence_of(rtp.audio_packet(frame, opus_, cipher_));
    ASSERT_EQ(sequence, static_cast<std::uint16_t>(previous + 1));
    wrapped |= sequence == 0;
    previous = sequence;
  }
  EXPECT_TRUE(wrapped);
  EXPECT_EQ(rtp.next_sequence(), static_cast<std::uint16_t>(start + 1));
  EXPECT_EQ(rtp.next_nonce(), 65538u);
}

TEST_F(rtp_packetizer_stream, TimestampWrapsAt2To32) {
  rtp_packetizer rtp(1, 11);
  const std::uint32_t start = timestamp_of(rtp.audio_packet(0, opus_, cipher_));
  const std::uint64_t frames_to_wrap = ((std::uint64_t{1} << 32) - start + 959) / 960;
  const std::uint32_t wrapped = timestamp_of(rtp.audio_packet(frames_to_wrap, opus_, cipher_));
  EXPECT_EQ(wrapped, start + frames_to_wrap * 960 - (std::uint64_t{1} << 32));
  EXPECT_LT(wrapped, 960u);
  EXPECT_EQ(timestamp_of(rtp.audio_packet(frames_to_wrap + 1, opus_, cipher_)), wrapped + 960);
}

TEST_F(rtp_packetizer_stream, FiveSilenceFramesFollowTheLastAudioFrame) {
  rtp_packetizer rtp(1, 3);
  EXPECT_EQ(rtp.silence_frames_owed(), 0u) << "no silence before any audio";
  // A tick loop: audio for frames 0-2, then ticks without audio until frame 10.
  std::vector<std::uint64_t> silent_frames;
  std::uint32_t last_audio_timestamp = 0;
  for (std::uint64_t frame = 0; frame <= 10; ++frame) {
    if (frame <= 2) {
      last_audio_timestamp = timestamp_of(rtp.audio_packet(frame, opus_, cipher_));
      EXPECT_EQ(rtp.silence_frames_owed(), 5u);
    } else if (rtp.silence_frames_owed() > 0) {
      const bytes packet = copy_of(rtp.silence_packet(frame, cipher_));
      EXPECT_EQ(opened(packet, transport_mode::aead_aes256_gcm_rtpsize), (bytes{0xf8, 0xff, 0xfe}));
      EXPECT_EQ(timestamp_of(packet), last_audio_timestamp + (frame - 2) * 960);
      silent_frames.push_back(frame);
    }
  }
  EXPECT_EQ(silent_frames, (std::vector<std::uint64_t>{3, 4, 5, 6, 7}));
  EXPECT_EQ(rtp.silence_frames_owed(), 0u);
  // Audio again owes five more.
  (void)rtp.audio_packet(20, opus_, cipher_);
  EXPECT_EQ(rtp.silence_frames_owed(), 5u);
  (void)rtp.silence_packet(21, cipher_);
  EXPECT_EQ(rtp.silence_frames_owed(), 4u);
}

TEST_F(rtp_packetizer_stream, PacketsReuseOneBufferUpToTheLargestOpusFrame) {
  rtp_packetizer rtp(1, 1);
  const std::uint8_t* buffer = rtp.audio_packet(0, opus_, cipher_).data();
  const bytes largest(1275, 0x55);
  for (std::uint64_t frame = 1; frame < 50; ++frame) {
    const auto packet = frame % 2 ? rtp.audio_packet(frame, largest, cipher_) : rtp.silence_packet(frame, cipher_);
    EXPECT_EQ(packet.data(), buffer);
  }
}

}  // namespace
}  // namespace spence::net
