#include "net/dave/mls/hash.hpp"

#include "net/dave/mls/openssl_boundary.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <openssl/core_names.h>

namespace spence::net::dave::mls {
bytes sha256(bytes_view data) {
  bytes digest(hash_size);
  unsigned int size = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) throw_openssl_failure("SHA-256");
  return digest;
}

bytes hmac_sha256(bytes_view key, bytes_view data) {
  // Fetched once: the provider lookup costs more than a short MAC.
  static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  if (hmac == nullptr) throw_openssl_failure("HMAC fetch");
  const evp_mac_ctx_ptr ctx(EVP_MAC_CTX_new(hmac));
  char digest_name[] = "SHA256";
  const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0), OSSL_PARAM_END};
  // HMAC with an empty key is HMAC with a zero block; OpenSSL wants a non-null pointer for it.
  static constexpr std::uint8_t no_key = 0;
  bytes mac(hash_size);
  std::size_t size = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), key.empty() ? &no_key : key.data(), key.size(), params) != 1 ||
      EVP_MAC_update(ctx.get(), data.data(), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), mac.data(), &size, mac.size()) != 1 || size != hash_size) {
    throw_openssl_failure("HMAC-SHA256");
  }
  return mac;
}

bytes ref_hash(std::string_view label, bytes_view value) {
  tls_writer input;
  input.opaque_text(label, "label");
  input.opaque(value, "value");
  return sha256(std::move(input).finish().value());
}

}  // namespace spence::net::dave::mls
