#pragma once
// RTP (RFC 3550) as Discord voice carries Opus: a 12-byte header (version 2, payload type 120,
// sequence +1 per packet, timestamp +960 per 20 ms frame, the SSRC from Ready), optional CSRCs and
// header extension, then the payload. The "rtpsize" transport modes authenticate the fixed header,
// the CSRCs and only the 4-byte preamble of an extension, and encrypt the extension's body with
// the payload, so a received packet is split at exactly that point. RTCP arrives on the same socket
// and is told apart by its second byte.

#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <span>

namespace spence::net {

inline constexpr std::uint8_t opus_payload_type = 120;
inline constexpr std::size_t rtp_fixed_header_bytes = 12;

struct rtp_header {
  bool padding = false;
  bool extension = false;
  bool marker = false;
  std::uint8_t csrc_count = 0;
  std::uint8_t payload_type = opus_payload_type;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};

// The fixed header of a packet we send (no CSRC; the extension flag as given).
void write_rtp_header(const rtp_header& header, std::span<std::uint8_t, rtp_fixed_header_bytes> out);

// A received RTP packet, split the way the rtpsize modes need it.
struct rtp_view {
  rtp_header header;
  std::span<const std::uint8_t> authenticated;  // fixed header + CSRCs + extension preamble (the AAD)
  std::span<const std::uint8_t> rest;           // encrypted: extension body + payload, then tag and nonce
  std::size_t extension_body_bytes = 0;         // at the front of the decrypted `rest`
};

// Errors: truncated, not_rtp, unexpected_payload (not Opus).
boost::system::result<rtp_view> parse_rtp(std::span<const std::uint8_t> packet);

// The Opus payload of a decrypted packet: without the extension body in front and, when the
// padding flag is set, without the padding at the end (its last byte counts it). Padding must go
// before DAVE decryption, whose marker sits at the very end of the payload.
// Errors: bad_extension, bad_padding.
boost::system::result<std::span<const std::uint8_t>> rtp_payload(const rtp_view& packet,
                                                                 std::span<const std::uint8_t> plaintext);

// Whether a datagram is RTCP: its full second byte (packet type) is 200 to 204.
bool is_rtcp(std::span<const std::uint8_t> datagram) noexcept;

}  // namespace spence::net
