#include "net/voice/rtp_receive.hpp"

#include "net/voice/voice_error.hpp"

namespace spence::net {

boost::system::result<std::span<const std::uint8_t>> open_rtp_payload(const rtp_view& packet,
                                                                      std::span<const std::uint8_t> datagram,
                                                                      const transport_cipher& cipher,
                                                                      std::vector<std::uint8_t>& plaintext) {
  if (auto error = cipher.open(datagram, packet.authenticated.size(), plaintext)) return error;
  return rtp_payload(packet, plaintext);
}

std::string_view drop_reason(const boost::system::error_code& error) noexcept {
  if (error.category() != voice_category()) return "malformed";
  switch (static_cast<voice_errc>(error.value())) {
    case voice_errc::truncated: return "truncated";
    case voice_errc::not_rtp:
    case voice_errc::unexpected_payload: return "not opus rtp";
    case voice_errc::authentication_failed: return "authentication failed";
    case voice_errc::bad_padding: return "bad padding";
    case voice_errc::bad_extension: return "bad extension";
    case voice_errc::malformed: return "malformed";
  }
  return "malformed";
}

}  // namespace spence::net
