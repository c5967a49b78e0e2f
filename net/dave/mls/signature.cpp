#include "net/dave/mls/signature.hpp"

#include "net/dave/mls/labeled_content.hpp"
#include "net/dave/mls/p256_evp.hpp"

#include <openssl/err.h>

namespace spence::net::dave::mls {

mls_result<bytes> ecdsa_sign(bytes_view private_key, bytes_view message) {
  auto key = p256_private_evp_key(private_key);
  if (!key) return key.error();
  const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
  std::size_t size = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size, message.data(), message.size()) != 1) {
    throw_openssl_failure("ECDSA sign");
  }
  bytes signature(size);  // the DER maximum; the signature itself may be a byte or two shorter
  if (EVP_DigestSign(ctx.get(), signature.data(), &size, message.data(), message.size()) != 1) {
    throw_openssl_failure("ECDSA sign");
  }
  signature.resize(size);
  return signature;
}

mls_result<bool> ecdsa_verify(bytes_view public_key, bytes_view message, bytes_view signature) {
  auto key = p256_public_evp_key(public_key);
  if (!key) return key.error();
  const evp_md_ctx_ptr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key->get()) != 1) {
    throw_openssl_failure("ECDSA verify");
  }
  // 1 verified, 0 did not, negative for malformed DER: all "not a valid signature". A refusal
  // leaves OpenSSL's error queue filled; empty it so it cannot be blamed on a later call.
  const bool verified = EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
  if (!verified) ERR_clear_error();
  return verified;
}

mls_result<bytes> sign_with_label(bytes_view private_key, std::string_view label, bytes_view content) {
  return ecdsa_sign(private_key, labeled_content(label, content));
}

mls_result<bool> verify_with_label(bytes_view public_key, std::string_view label, bytes_view content,
                                   bytes_view signature) {
  return ecdsa_verify(public_key, labeled_content(label, content), signature);
}

}  // namespace spence::net::dave::mls
