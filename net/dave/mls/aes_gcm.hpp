#pragma once
// Cipher suite 2's AEAD (RFC 9420 5.1): AES-128-GCM with a 12-byte nonce and the full 16-byte tag
// appended to the ciphertext (RFC 5116's AEAD_AES_128_GCM), as HPKE and MLS's message protection
// use it. Opening checks the tag before any plaintext comes out.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstddef>

namespace spence::net::dave::mls {

inline constexpr std::size_t aes128_gcm_key_size = 16;   // Nk
inline constexpr std::size_t aes128_gcm_nonce_size = 12; // Nn
inline constexpr std::size_t aes128_gcm_tag_size = 16;

// Ciphertext || tag. bad_length for a key or nonce of the wrong size.
mls_result<bytes> aes128_gcm_seal(bytes_view key, bytes_view nonce, bytes_view aad, bytes_view plaintext);
// decrypt_failed when the tag does not match (or the input is shorter than one).
mls_result<bytes> aes128_gcm_open(bytes_view key, bytes_view nonce, bytes_view aad, bytes_view ciphertext);

}  // namespace spence::net::dave::mls
