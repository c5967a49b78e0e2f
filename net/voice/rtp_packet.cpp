#include "net/voice/rtp_packet.hpp"

#include "net/voice/voice_error.hpp"

namespace spence::net {
namespace {

std::uint16_t be16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] << 8 | p[1]); }
std::uint32_t be32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | p[3];
}

constexpr std::size_t extension_preamble_bytes = 4;

}  // namespace

void write_rtp_header(const rtp_header& h, std::span<std::uint8_t, rtp_fixed_header_bytes> out) {
  out[0] = static_cast<std::uint8_t>(0x80 | (h.padding ? 0x20 : 0) | (h.extension ? 0x10 : 0));
  out[1] = static_cast<std::uint8_t>((h.marker ? 0x80 : 0) | (h.payload_type & 0x7f));
  out[2] = static_cast<std::uint8_t>(h.sequence >> 8);
  out[3] = static_cast<std::uint8_t>(h.sequence);
  for (int i = 0; i < 4; ++i) {
    out[4 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.timestamp >> (24 - 8 * i));
    out[8 + static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(h.ssrc >> (24 - 8 * i));
  }
}

boost::system::result<rtp_view> parse_rtp(std::span<const std::uint8_t> packet) {
  if (packet.size() < rtp_fixed_header_bytes) return voice_errc::truncated;
  const std::uint8_t* p = packet.data();
  if ((p[0] >> 6) != 2) return voice_errc::not_rtp;
  rtp_view v;
  v.header.padding = (p[0] & 0x20) != 0;
  v.header.extension = (p[0] & 0x10) != 0;
  v.header.csrc_count = p[0] & 0x0f;
  v.header.marker = (p[1] & 0x80) != 0;
  v.header.payload_type = p[1] & 0x7f;
  if (v.header.payload_type != opus_payload_type) return voice_errc::unexpected_payload;
  v.header.sequence = be16(p + 2);
  v.header.timestamp = be32(p + 4);
  v.header.ssrc = be32(p + 8);
  std::size_t authenticated = rtp_fixed_header_bytes + 4 * std::size_t{v.header.csrc_count};
  if (v.header.extension) {
    if (packet.size() < authenticated + extension_preamble_bytes) return voice_errc::truncated;
    // The preamble (profile, then the body's length in 32-bit words) is authenticated, the body is not.
    v.extension_body_bytes = 4 * std::size_t{be16(p + authenticated + 2)};
    authenticated += extension_preamble_bytes;
  }
  if (packet.size() < authenticated) return voice_errc::truncated;
  v.authenticated = packet.first(authenticated);
  v.rest = packet.subspan(authenticated);
  return v;
}

boost::system::result<std::span<const std::uint8_t>> rtp_payload(const rtp_view& packet,
                                                                 std::span<const std::uint8_t> plaintext) {
  if (packet.extension_body_bytes > plaintext.size()) return voice_errc::bad_extension;
  auto payload = plaintext.subspan(packet.extension_body_bytes);
  if (packet.header.padding) {
    const std::size_t pad = payload.empty() ? 0 : payload.back();
    if (pad == 0 || pad > payload.size()) return voice_errc::bad_padding;
    payload = payload.first(payload.size() - pad);
  }
  return payload;
}

bool is_rtcp(std::span<const std::uint8_t> datagram) noexcept {
  return datagram.size() >= 2 && datagram[1] >= 200 && datagram[1] <= 204;
}

}  // namespace spence::net
