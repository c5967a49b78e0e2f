#pragma once
// P-256 keys as OpenSSL objects, for the primitives that call EVP with them (ECDH, ECDSA); checked
// as p256.hpp says: a private key is a scalar in [1, n-1], a public key an uncompressed point on
// the curve. Internal to net/dave/mls.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/openssl_boundary.hpp"

namespace spence::net::dave::mls {

mls_result<evp_pkey_ptr> p256_private_evp_key(bytes_view private_key);
mls_result<evp_pkey_ptr> p256_public_evp_key(bytes_view public_key);

}  // namespace spence::net::dave::mls
