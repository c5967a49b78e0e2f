#pragma once
// HPKE (RFC 9180) in base mode for cipher suite 2's KEM, KDF and AEAD: DHKEM(P-256, HKDF-SHA256)
// (kem_id 0x0010), HKDF-SHA256 (0x0001), AES-128-GCM (0x0001). MLS encrypts path secrets in
// commits and group secrets in welcomes with it. OpenSSL 3.0 has no HPKE API (it arrived in 3.2),
// so this builds it on the suite's primitives: P-256 ECDH, HKDF and AES-128-GCM.
//
// Only what MLS uses: base mode (no PSK, no sender authentication), Seal/Open, and DeriveKeyPair,
// which turns TreeKEM's path secrets into node key pairs. The secret export interface is left out.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/p256.hpp"

#include <cstdint>

namespace spence::net::dave::mls {

// DeriveKeyPair (RFC 9180 7.1.3): the first of up to 256 HKDF "candidate"s that is a valid
// scalar. Deterministic: the same ikm gives the same pair on every member.
mls_result<p256_key_pair> derive_key_pair(bytes_view ikm);
// GenerateKeyPair: DeriveKeyPair of 32 fresh random bytes.
p256_key_pair generate_key_pair();

// One direction of an HPKE context: the AEAD key, the base nonce and the sequence number that
// makes each message's nonce (base_nonce XOR sequence). The sender seals, the recipient opens, in
// the same order.
class hpke_context {
 public:
  hpke_context(bytes key, bytes base_nonce) : key_(std::move(key)), base_nonce_(std::move(base_nonce)) {}

  mls_result<bytes> seal(bytes_view aad, bytes_view plaintext);
  // decrypt_failed leaves the sequence number where it was (RFC 9180 5.2).
  mls_result<bytes> open(bytes_view aad, bytes_view ciphertext);

 private:
  mls_result<bytes> nonce() const;

  bytes key_;
  bytes base_nonce_;
  std::uint64_t sequence_ = 0;
};

struct hpke_sender {
  bytes enc;  // the encapsulated key to send with the ciphertexts: the ephemeral public key
  hpke_context context;
};

// SetupBaseS: encapsulate to the recipient's public key with a fresh ephemeral key pair.
mls_result<hpke_sender> setup_base_sender(bytes_view recipient_public_key, bytes_view info);
// The same with a given ephemeral key pair: RFC 9180's known-answer vectors fix it.
mls_result<hpke_sender> setup_base_sender(bytes_view recipient_public_key, bytes_view info,
                                          const p256_key_pair& ephemeral);
// SetupBaseR: decapsulate enc with the recipient's private key.
mls_result<hpke_context> setup_base_recipient(bytes_view enc, bytes_view recipient_private_key, bytes_view info);

}  // namespace spence::net::dave::mls
