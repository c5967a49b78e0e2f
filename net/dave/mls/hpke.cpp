#include "net/dave/mls/hpke.hpp"

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/kdf.hpp"
#include "net/dave/mls/openssl_boundary.hpp"

#include <openssl/rand.h>

#include <limits>
#include <string_view>

namespace spence::net::dave::mls {
namespace {

constexpr std::uint8_t mode_base = 0x00;

// suite_id for the KEM's own derivations: "KEM" || I2OSP(kem_id, 2).
const bytes kem_suite{'K', 'E', 'M', 0x00, 0x10};
// suite_id for the key schedule: "HPKE" || kem_id || kdf_id || aead_id.
const bytes hpke_suite{'H', 'P', 'K', 'E', 0x00, 0x10, 0x00, 0x01, 0x00, 0x01};

void append(bytes& out, bytes_view more) { out.insert(out.end(), more.begin(), more.end()); }
void append(bytes& out, std::string_view more) { out.insert(out.end(), more.begin(), more.end()); }

// LabeledExtract(salt, label, ikm) = Extract(salt, "HPKE-v1" || suite_id || label || ikm)
bytes labeled_extract(const bytes& suite, bytes_view salt, std::string_view label, bytes_view ikm) {
  bytes labeled_ikm;
  append(labeled_ikm, std::string_view("HPKE-v1"));
  append(labeled_ikm, suite);
  append(labeled_ikm, label);
  append(labeled_ikm, ikm);
  return hkdf_extract(salt, labeled_ikm);
}

// LabeledExpand(prk, label, info, L) = Expand(prk, I2OSP(L, 2) || "HPKE-v1" || suite_id || label || info, L)
bytes labeled_expand(const bytes& suite, bytes_view prk, std::string_view label, bytes_view info, std::uint16_t length) {
  bytes labeled_info{static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length)};
  append(labeled_info, std::string_view("HPKE-v1"));
  append(labeled_info, suite);
  append(labeled_info, label);
  append(labeled_info, info);
  return hkdf_expand(prk, labeled_info, length).value();  // every length here is at most Nh
}

// ExtractAndExpand(dh, kem_context): the KEM's shared secret.
bytes extract_and_expand(bytes_view dh, bytes_view enc, bytes_view recipient_public_key) {
  bytes kem_context(enc.begin(), enc.end());
  append(kem_context, recipient_public_key);
  const bytes eae_prk = labeled_extract(kem_suite, {}, "eae_prk", dh);
  return labeled_expand(kem_suite, eae_prk, "shared_secret", kem_context, hash_size);
}

// KeySchedule in base mode: empty psk and psk_id.
hpke_context key_schedule(bytes_view shared_secret, bytes_view info) {
  bytes context{mode_base};
  append(context, labeled_extract(hpke_suite, {}, "psk_id_hash", {}));
  append(context, labeled_extract(hpke_suite, {}, "info_hash", info));
  const bytes secret = labeled_extract(hpke_suite, shared_secret, "secret", {});
  return hpke_context(labeled_expand(hpke_suite, secret, "key", context, aes128_gcm_key_size),
                      labeled_expand(hpke_suite, secret, "base_nonce", context, aes128_gcm_nonce_size));
}

}  // namespace

mls_result<p256_key_pair> derive_key_pair(bytes_view ikm) {
  const bytes dkp_prk = labeled_extract(kem_suite, {}, "dkp_prk", ikm);
  for (unsigned counter = 0; counter <= 255; ++counter) {
    // P-256's bitmask is 0xff: the candidate is used whole, and rejected if not below the order.
    bytes candidate = labeled_expand(kem_suite, dkp_prk, "candidate", bytes{static_cast<std::uint8_t>(counter)},
                                     p256_private_key_size);
    if (auto public_key = p256_public_key(candidate)) return p256_key_pair{std::move(candidate), *std::move(public_key)};
  }
  return make_mls_error(mls_errc::derive_key_pair_failed, "ikm");
}

p256_key_pair generate_key_pair() {
  bytes ikm(p256_private_key_size);
  if (RAND_priv_bytes(ikm.data(), static_cast<int>(ikm.size())) != 1) throw_openssl_failure("RAND_priv_bytes");
  // A failure here would need 256 consecutive out-of-range candidates, each a 2^-32 chance.
  return derive_key_pair(ikm).value();
}

mls_result<bytes> hpke_context::nonce() const {
  if (sequence_ == std::numeric_limits<std::uint64_t>::max()) {
    return make_mls_error(mls_errc::bad_length, "hpke sequence number");  // MessageLimitReachedError
  }
  // base_nonce XOR I2OSP(sequence, Nn): the sequence number lands in the last 8 bytes.
  bytes nonce = base_nonce_;
  for (std::size_t i = 0; i < 8; ++i) nonce[nonce.size() - 1 - i] ^= static_cast<std::uint8_t>(sequence_ >> (8 * i));
  return nonce;
}

mls_result<bytes> hpke_context::seal(bytes_view aad, bytes_view plaintext) {
  auto message_nonce = nonce();
  if (!message_nonce) return message_nonce.error();
  auto ciphertext = aes128_gcm_seal(key_, *message_nonce, aad, plaintext);
  if (ciphertext) ++sequence_;
  return ciphertext;
}

mls_result<bytes> hpke_context::open(bytes_view aad, bytes_view ciphertext) {
  auto message_nonce = nonce();
  if (!message_nonce) return message_nonce.error();
  auto plaintext = aes128_gcm_open(key_, *message_nonce, aad, ciphertext);
  if (plaintext) ++sequence_;
  return plaintext;
}

mls_result<hpke_sender> setup_base_sender(bytes_view recipient_public_key, bytes_view info) {
  return setup_base_sender(recipient_public_key, info, generate_key_pair());
}

mls_result<hpke_sender> setup_base_sender(bytes_view recipient_public_key, bytes_view info,
                                          const p256_key_pair& ephemeral) {
  auto dh = p256_dh(ephemeral.private_key, recipient_public_key);
  if (!dh) return dh.error();
  const bytes shared_secret = extract_and_expand(*dh, ephemeral.public_key, recipient_public_key);
  return hpke_sender{ephemeral.public_key, key_schedule(shared_secret, info)};
}

mls_result<hpke_context> setup_base_recipient(bytes_view enc, bytes_view recipient_private_key, bytes_view info) {
  auto dh = p256_dh(recipient_private_key, enc);
  if (!dh) {
    mls_error error = dh.error();
    if (error.code == mls_errc::bad_public_key) error.field = "enc";  // the peer key here is the sender's
    return error;
  }
  const bytes shared_secret = extract_and_expand(*dh, enc, p256_public_key(recipient_private_key).value());
  return key_schedule(shared_secret, info);
}

}  // namespace spence::net::dave::mls
