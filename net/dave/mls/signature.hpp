#pragma once
// Cipher suite 2's signatures (RFC 9420 5.1.2): ECDSA on P-256 with SHA-256, DER-encoded as MLS
// carries them, and the labelled forms every MLS signature uses:
//   SignWithLabel(key, label, content) = Sign(key, SignContent{"MLS 1.0 " + label, content})
// ECDSA signing is randomized (OpenSSL's nonce), so a signature is checked by verifying it, never by
// comparing bytes.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <string_view>

namespace spence::net::dave::mls {

mls_result<bytes> ecdsa_sign(bytes_view private_key, bytes_view message);
// false for a signature that does not verify, including one that is not valid DER; an error only
// for a public key that is not a P-256 point.
mls_result<bool> ecdsa_verify(bytes_view public_key, bytes_view message, bytes_view signature);

mls_result<bytes> sign_with_label(bytes_view private_key, std::string_view label, bytes_view content);
mls_result<bool> verify_with_label(bytes_view public_key, std::string_view label, bytes_view content,
                                   bytes_view signature);

}  // namespace spence::net::dave::mls
