#include "net/dave/mls/aes_gcm.hpp"

#include "net/dave/mls/openssl_boundary.hpp"

#include <climits>

namespace spence::net::dave::mls {
namespace {

mls_result<evp_cipher_ctx_ptr> start(bytes_view key, bytes_view nonce, bool encrypt) {
  if (key.size() != aes128_gcm_key_size) return make_mls_error(mls_errc::bad_length, "aead key");
  if (nonce.size() != aes128_gcm_nonce_size) return make_mls_error(mls_errc::bad_length, "aead nonce");
  evp_cipher_ctx_ptr ctx(EVP_CIPHER_CTX_new());
  // GCM's default IV length is 12, the nonce size, so key and IV go in with the cipher.
  if (!ctx || EVP_CipherInit_ex(ctx.get(), EVP_aes_128_gcm(), nullptr, key.data(), nonce.data(), encrypt ? 1 : 0) != 1) {
    throw_openssl_failure("AES-128-GCM init");
  }
  return ctx;
}

// EVP's lengths are ints: refuse what would not fit rather than truncate.
bool fits_int(bytes_view data) { return data.size() <= static_cast<std::size_t>(INT_MAX); }

}  // namespace

mls_result<bytes> aes128_gcm_seal(bytes_view key, bytes_view nonce, bytes_view aad, bytes_view plaintext) {
  auto ctx = start(key, nonce, true);
  if (!ctx) return ctx.error();
  if (!fits_int(aad) || !fits_int(plaintext)) return make_mls_error(mls_errc::bad_length, "aead input");
  bytes out(plaintext.size() + aes128_gcm_tag_size);
  int size = 0;
  if (EVP_EncryptUpdate(ctx->get(), nullptr, &size, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_EncryptUpdate(ctx->get(), out.data(), &size, plaintext.data(), static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx->get(), out.data() + size, &size) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_GET_TAG, aes128_gcm_tag_size, out.data() + plaintext.size()) != 1) {
    throw_openssl_failure("AES-128-GCM seal");
  }
  return out;
}

mls_result<bytes> aes128_gcm_open(bytes_view key, bytes_view nonce, bytes_view aad, bytes_view ciphertext) {
  auto ctx = start(key, nonce, false);
  if (!ctx) return ctx.error();
  if (ciphertext.size() < aes128_gcm_tag_size) return make_mls_error(mls_errc::decrypt_failed, "aead ciphertext");
  if (!fits_int(aad) || !fits_int(ciphertext)) return make_mls_error(mls_errc::bad_length, "aead input");
  const std::size_t body = ciphertext.size() - aes128_gcm_tag_size;
  bytes tag(ciphertext.begin() + static_cast<std::ptrdiff_t>(body), ciphertext.end());
  bytes out(body);
  int size = 0;
  if (EVP_DecryptUpdate(ctx->get(), nullptr, &size, aad.data(), static_cast<int>(aad.size())) != 1 ||
      EVP_DecryptUpdate(ctx->get(), out.data(), &size, ciphertext.data(), static_cast<int>(body)) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx->get(), EVP_CTRL_GCM_SET_TAG, aes128_gcm_tag_size, tag.data()) != 1) {
    throw_openssl_failure("AES-128-GCM open");
  }
  if (EVP_DecryptFinal_ex(ctx->get(), out.data() + size, &size) != 1) {
    return make_mls_error(mls_errc::decrypt_failed, "aead ciphertext");
  }
  return out;
}

}  // namespace spence::net::dave::mls

