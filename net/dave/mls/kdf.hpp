#pragma once
// Cipher suite 2's KDF (RFC 9420 5.1, 8): HKDF with SHA-256 (RFC 5869), and MLS's labelled forms
// of it that the key schedule, secret tree and TreeKEM derive every secret with:
//   ExpandWithLabel(secret, label, context, length) = HKDF-Expand(secret, KDFLabel, length)
//     KDFLabel = struct { uint16 length; opaque label<V> = "MLS 1.0 " + label; opaque context<V>; }
//   DeriveSecret(secret, label) = ExpandWithLabel(secret, label, "", Nh)
//   DeriveTreeSecret(secret, label, generation, length) = ExpandWithLabel(secret, label, uint32 generation, length)

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstdint>
#include <string_view>

namespace spence::net::dave::mls {

// HKDF-Extract: HMAC-SHA256(salt, ikm); an empty salt is HashLen zero bytes, as RFC 5869 says.
bytes hkdf_extract(bytes_view salt, bytes_view ikm);
// HKDF-Expand to `length` bytes; bad_length above 255 * 32.
mls_result<bytes> hkdf_expand(bytes_view prk, bytes_view info, std::size_t length);

mls_result<bytes> expand_with_label(bytes_view secret, std::string_view label, bytes_view context, std::uint16_t length);
bytes derive_secret(bytes_view secret, std::string_view label);
mls_result<bytes> derive_tree_secret(bytes_view secret, std::string_view label, std::uint32_t generation,
                                     std::uint16_t length);

}  // namespace spence::net::dave::mls
