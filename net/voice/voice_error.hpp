#pragma once
// Errors of Discord's voice transport: what a malformed, foreign or forged datagram is. Each is
// counted and the datagram dropped; none ends a connection.

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace spence::net {

enum class voice_errc {
  truncated = 1,        // shorter than its headers say
  not_rtp,              // not RTP version 2
  unexpected_payload,   // an RTP payload type other than Opus (120)
  bad_padding,          // the padding count exceeds what the packet holds
  bad_extension,        // the header extension is longer than the packet
  authentication_failed,  // the AEAD tag does not match: wrong key, forged or damaged
  malformed,            // any other contradiction (e.g. an IP discovery reply of the wrong size)
};

const boost::system::error_category& voice_category() noexcept;

inline boost::system::error_code make_error_code(voice_errc e) noexcept {
  return {static_cast<int>(e), voice_category()};
}

}  // namespace spence::net

template <>
struct boost::system::is_error_code_enum<spence::net::voice_errc> : std::true_type {};
