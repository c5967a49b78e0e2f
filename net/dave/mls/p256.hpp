#pragma once
// The P-256 curve as cipher suite 2 uses it for both its KEM (DHKEM(P-256), RFC 9180 7.1) and its
// signatures (ECDSA): a private key is the 32-byte big-endian scalar, a public key the 65-byte
// uncompressed point 0x04 || x || y (RFC 9180's SerializePrivateKey and SerializePublicKey; MLS
// puts both on the wire in these forms). Keys from the wire are checked here: a scalar in
// [1, n-1], a point on the curve.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstddef>

namespace spence::net::dave::mls {

inline constexpr std::size_t p256_private_key_size = 32;  // Nsk
inline constexpr std::size_t p256_public_key_size = 65;   // Npk, Nenc
inline constexpr std::size_t p256_dh_size = 32;           // Ndh: the shared point's x coordinate

struct p256_key_pair {
  bytes private_key;
  bytes public_key;
};

// The public key of a private scalar; bad_private_key unless it is 32 bytes in [1, n-1].
mls_result<bytes> p256_public_key(bytes_view private_key);
// ECDH: the x coordinate of private_key * peer_public_key.
mls_result<bytes> p256_dh(bytes_view private_key, bytes_view peer_public_key);

}  // namespace spence::net::dave::mls
