#pragma once
// The sending half of one voice connection's RTP stream: SSRC, sequence (+1 per packet), timestamp
// (+960 per 20 ms frame at 48 kHz) and the transport nonce counter (1 for the first packet, +1
// per packet), each wrapping at its width. Sequence and timestamp start at random values, as RFC
// 3550 asks; they come from a seed so tests are repeatable.
//
// The timestamp follows the caller's frame index rather than a count of packets: when the player
// skips frames (it fell behind, or a frame was dropped), the next packet's timestamp jumps 960 per
// skipped frame while its sequence still advances by one, so receivers keep the timing and see no
// loss. When audio stops, Discord asks for five frames of Opus silence (F8 FF FE) so receivers
// stop interpolating; silence_frames_owed() says how many are still due.
//
// Packets are built into one buffer, reserved for the largest 20 ms Opus frame (RFC 6716: 1275
// bytes), so sending allocates nothing. One strand at a time.

#include "net/voice/rtp_packet.hpp"
#include "net/voice/transport_cipher.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace spence::net {

inline constexpr std::uint32_t rtp_timestamp_per_frame = 960;  // 20 ms at 48 kHz
inline constexpr std::array<std::uint8_t, 3> opus_silence_frame{0xf8, 0xff, 0xfe};
inline constexpr std::uint32_t silence_frames_after_audio = 5;

class rtp_packetizer {
 public:
  // Sequence and timestamp start from the first two outputs of std::mt19937 seeded with `seed`.
  rtp_packetizer(std::uint32_t ssrc, std::uint32_t seed);

  // The encrypted packet (header | ciphertext | tag | nonce) carrying `opus` as the frame numbered
  // `frame_index` in the caller's count of 20 ms frames; valid until the next call. Resets the
  // silence owed to five. Throws std::invalid_argument for a frame index not after the last one.
  std::span<const std::uint8_t> audio_packet(std::uint64_t frame_index, std::span<const std::uint8_t> opus,
                                             const transport_cipher& cipher);
  // The packet carrying the silence frame as `frame_index`; counts one owed silence frame as sent.
  std::span<const std::uint8_t> silence_packet(std::uint64_t frame_index, const transport_cipher& cipher);

  // Silence frames still due after the last audio packet: five once audio stops, one fewer per
  // silence packet, none before any audio. A tick without audio sends silence while this is > 0.
  std::uint32_t silence_frames_owed() const noexcept { return silence_owed_; }

  std::uint32_t ssrc() const noexcept { return header_.ssrc; }
  // What the next packet will carry.
  std::uint16_t next_sequence() const noexcept { return header_.sequence; }
  std::uint32_t next_nonce() const noexcept { return nonce_; }

 private:
  std::span<const std::uint8_t> packet(std::uint64_t frame_index, std::span<const std::uint8_t> opus,
                                       const transport_cipher& cipher);

  rtp_header header_;
  std::uint32_t first_timestamp_;
  std::optional<std::uint64_t> first_frame_;  // the frame index of the first packet
  std::optional<std::uint64_t> last_frame_;
  std::uint32_t nonce_ = 1;
  std::uint32_t silence_owed_ = 0;
  std::vector<std::uint8_t> buffer_;
};

}  // namespace spence::net
