#include "net/voice/rtp_packetizer.hpp"

#include <random>
#include <stdexcept>
#include <string>

namespace spence::net {
namespace {

constexpr std::size_t largest_opus_frame_bytes = 1275;

}  // namespace

rtp_packetizer::rtp_packetizer(std::uint32_t ssrc, std::uint32_t seed) {
  // std::mt19937's output is fixed by the standard (unlike the distributions), so a seed gives the
  // same start everywhere.
  std::mt19937 random(seed);
  header_.ssrc = ssrc;
  header_.sequence = static_cast<std::uint16_t>(random());
  first_timestamp_ = static_cast<std::uint32_t>(random());
  buffer_.reserve(rtp_fixed_header_bytes + largest_opus_frame_bytes + transport_overhead);
}

std::span<const std::uint8_t> rtp_packetizer::audio_packet(std::uint64_t frame_index,
                                                           std::span<const std::uint8_t> opus,
                                                           const transport_cipher& cipher) {
  const auto sent = packet(frame_index, opus, cipher);
  silence_owed_ = silence_frames_after_audio;
  return sent;
}

std::span<const std::uint8_t> rtp_packetizer::silence_packet(std::uint64_t frame_index,
                                                             const transport_cipher& cipher) {
  const auto sent = packet(frame_index, opus_silence_frame, cipher);
  if (silence_owed_ > 0) --silence_owed_;
  return sent;
}

std::span<const std::uint8_t> rtp_packetizer::packet(std::uint64_t frame_index, std::span<const std::uint8_t> opus,
                                                     const transport_cipher& cipher) {
  if (last_frame_ && frame_index <= *last_frame_)
    throw std::invalid_argument("RTP frame " + std::to_string(frame_index) + " does not follow frame " +
                                std::to_string(*last_frame_));
  if (!first_frame_) first_frame_ = frame_index;
  // Modulo 2^64 then truncated: the same as counting modulo 2^32, since 2^32 divides 2^64.
  const std::uint64_t frames_since_first = frame_index - *first_frame_;
  header_.timestamp = static_cast<std::uint32_t>(first_timestamp_ + frames_since_first * rtp_timestamp_per_frame);
  std::array<std::uint8_t, rtp_fixed_header_bytes> header{};
  write_rtp_header(header_, header);
  cipher.seal(header, opus, nonce_, buffer_);
  last_frame_ = frame_index;
  ++header_.sequence;
  ++nonce_;
  return buffer_;
}

}  // namespace spence::net
