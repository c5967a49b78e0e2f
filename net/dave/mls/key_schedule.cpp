#include "net/dave/mls/key_schedule.hpp"

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/kdf.hpp"

#include "net/dave/mls/openssl_boundary.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

namespace spence::net::dave::mls {
namespace {

mls_result<void> check_secret(bytes_view secret, const char* field) {
  if (secret.size() != hash_size) return make_mls_error(mls_errc::bad_length, field);
  return {};
}

bytes member_secret(bytes_view joiner_secret, bytes_view psk_secret) { return hkdf_extract(joiner_secret, psk_secret); }

}  // namespace

bytes zero_secret() { return bytes(hash_size, 0); }

bytes random_secret() {
  bytes secret(hash_size);
  if (RAND_priv_bytes(secret.data(), static_cast<int>(secret.size())) != 1) throw_openssl_failure("RAND_priv_bytes");
  return secret;
}

mls_result<bytes> welcome_secret(bytes_view joiner_secret, bytes_view psk_secret) {
  if (auto ok = check_secret(joiner_secret, "joiner_secret"); !ok) return ok.error();
  if (auto ok = check_secret(psk_secret, "psk_secret"); !ok) return ok.error();
  return derive_secret(member_secret(joiner_secret, psk_secret), "welcome");
}

mls_result<welcome_key_nonce> welcome_key_and_nonce(bytes_view welcome_secret) {
  if (auto ok = check_secret(welcome_secret, "welcome_secret"); !ok) return ok.error();
  // Nk and Nn are far below HKDF's limit: neither expansion can fail.
  return welcome_key_nonce{expand_with_label(welcome_secret, "key", {}, aes128_gcm_key_size).value(),
                           expand_with_label(welcome_secret, "nonce", {}, aes128_gcm_nonce_size).value()};
}

mls_result<key_schedule> key_schedule::from_init_secret(bytes_view init_secret, bytes_view commit_secret,
                                                        bytes_view psk_secret, bytes_view group_context) {
  if (auto ok = check_secret(init_secret, "init_secret"); !ok) return ok.error();
  if (auto ok = check_secret(commit_secret, "commit_secret"); !ok) return ok.error();
  const bytes joiner =
      expand_with_label(hkdf_extract(init_secret, commit_secret), "joiner", group_context, hash_size).value();
  return from_joiner_secret(joiner, psk_secret, group_context);
}

mls_result<key_schedule> key_schedule::from_joiner_secret(bytes_view joiner_secret, bytes_view psk_secret,
                                                          bytes_view group_context) {
  if (auto ok = check_secret(joiner_secret, "joiner_secret"); !ok) return ok.error();
  if (auto ok = check_secret(psk_secret, "psk_secret"); !ok) return ok.error();
  const bytes member = member_secret(joiner_secret, psk_secret);
  const bytes epoch_secret = expand_with_label(member, "epoch", group_context, hash_size).value();

  key_schedule epoch;
  epoch.joiner_secret_.assign(joiner_secret.begin(), joiner_secret.end());
  epoch.welcome_secret_ = derive_secret(member, "welcome");
  epoch.sender_data_secret_ = derive_secret(epoch_secret, "sender data");
  epoch.encryption_secret_ = derive_secret(epoch_secret, "encryption");
  epoch.exporter_secret_ = derive_secret(epoch_secret, "exporter");
  epoch.external_secret_ = derive_secret(epoch_secret, "external");
  epoch.confirmation_key_ = derive_secret(epoch_secret, "confirm");
  epoch.membership_key_ = derive_secret(epoch_secret, "membership");
  epoch.resumption_psk_ = derive_secret(epoch_secret, "resumption");
  epoch.epoch_authenticator_ = derive_secret(epoch_secret, "authentication");
  epoch.init_secret_ = derive_secret(epoch_secret, "init");
  return epoch;
}

mls_result<p256_key_pair> key_schedule::external_key_pair() const { return derive_key_pair(external_secret_); }

mls_result<bytes> key_schedule::export_secret(std::string_view label, bytes_view context, std::uint16_t length) const {
  return expand_with_label(derive_secret(exporter_secret_, label), "exported", sha256(context), length);
}

bytes key_schedule::confirmation_tag(bytes_view confirmed_transcript_hash) const {
  return hmac_sha256(confirmation_key_, confirmed_transcript_hash);
}

bytes key_schedule::membership_tag(bytes_view authenticated_content_tbm) const {
  return hmac_sha256(membership_key_, authenticated_content_tbm);
}

bool mac_equal(bytes_view expected, bytes_view received) noexcept {
  return expected.size() == received.size() && CRYPTO_memcmp(expected.data(), received.data(), expected.size()) == 0;
}

}  // namespace spence::net::dave::mls
