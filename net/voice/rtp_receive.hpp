#pragma once
// The receiving side of an encrypted RTP packet, shared by spence's voice client and the
// emulator's relay: decrypt what follows the authenticated header, then strip the extension body
// and padding, leaving the Opus payload; and the name under which a bad datagram is counted.

#include "net/voice/rtp_packet.hpp"
#include "net/voice/transport_cipher.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <span>
#include <string_view>
#include <vector>

namespace spence::net {

// `datagram` is the whole packet `packet` was parsed from; the decrypted bytes go to `plaintext`
// and the payload returned points into it. Errors: truncated, authentication_failed,
// bad_extension, bad_padding.
boost::system::result<std::span<const std::uint8_t>> open_rtp_payload(const rtp_view& packet,
                                                                      std::span<const std::uint8_t> datagram,
                                                                      const transport_cipher& cipher,
                                                                      std::vector<std::uint8_t>& plaintext);

// "truncated", "not opus rtp", "authentication failed", "bad padding", "bad extension", "malformed".
std::string_view drop_reason(const boost::system::error_code& error) noexcept;

}  // namespace spence::net
