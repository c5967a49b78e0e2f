#pragma once
// The registry values DAVE's MLS uses (RFC 9420 17): protocol version mls10, cipher suite 2, the
// basic credential, and the extension and proposal types spence meets on the wire.

#include <cstdint>

namespace spence::net::dave::mls {

inline constexpr std::uint16_t protocol_version_mls10 = 1;
// MLS_128_DHKEMP256_AES128GCM_SHA256_P256, the one suite DAVE (and so spence) speaks.
inline constexpr std::uint16_t cipher_suite_dave = 2;
inline constexpr std::uint16_t credential_type_basic = 1;

// WireFormat (RFC 9420 6): how an MLSMessage's body is framed. DAVE's handshake messages are all
// PublicMessages; PrivateMessage (2) is never used, as media keys come from the exporter.
inline constexpr std::uint16_t wire_format_public_message = 1;
inline constexpr std::uint16_t wire_format_private_message = 2;
inline constexpr std::uint16_t wire_format_welcome = 3;
inline constexpr std::uint16_t wire_format_group_info = 4;
inline constexpr std::uint16_t wire_format_key_package = 5;

inline constexpr std::uint16_t extension_type_ratchet_tree = 2;
inline constexpr std::uint16_t extension_type_external_senders = 5;
// Extension types 1 to 5 (application_id .. external_senders) are RFC 9420's defaults: a leaf
// uses them without listing them in its capabilities (7.2).
inline constexpr std::uint16_t last_default_extension_type = 5;

}  // namespace spence::net::dave::mls
