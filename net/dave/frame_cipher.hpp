#pragma once
// DAVE's media cipher (whitepaper "Media Ciphersuite", "Truncated authentication tag",
// "Truncated synchronization nonce"): AES-128-GCM under one generation's key, with
//   - the 12-byte nonce: 8 zero bytes, then the 32-bit truncated nonce little-endian (libdave
//     copies the host's uint32 to bytes 8..11; davey writes to_le_bytes);
//   - the tag truncated to its first 8 bytes (NIST SP 800-38D appendix C);
//   - the frame's unencrypted ranges as additional data (none for Opus).
// One cipher per key and direction, keyed once: each frame only sets its nonce, which keeps the
// per-frame cost to the AES work itself.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/openssl_boundary.hpp"

#include <cstddef>
#include <cstdint>

namespace spence::net::dave {

inline constexpr std::size_t truncated_tag_size = 8;

class frame_cipher {
 public:
  enum class direction { seal, open };
  // `key` is 16 bytes (a ratchet generation's key). Throws system_error (crypto_failure) only if
  // OpenSSL cannot set up a context (out of memory).
  frame_cipher(mls::bytes_view key, direction dir);

  // Writes plaintext.size() bytes of ciphertext to `ciphertext` and the 8-byte tag to `tag`.
  void seal(std::uint32_t truncated_nonce, mls::bytes_view aad, mls::bytes_view plaintext, std::uint8_t* ciphertext,
            std::uint8_t* tag);
  // Writes ciphertext.size() bytes to `plaintext`; false (the bytes written meaningless) when the
  // tag does not authenticate the ciphertext, aad and nonce under this key.
  bool open(std::uint32_t truncated_nonce, mls::bytes_view aad, mls::bytes_view ciphertext, mls::bytes_view tag,
            std::uint8_t* plaintext);

 private:
  void start(std::uint32_t truncated_nonce, mls::bytes_view aad);

  mls::evp_cipher_ctx_ptr ctx_;
};

}  // namespace spence::net::dave
