#pragma once
// MLS's labelled public-key encryption (RFC 9420 5.1.3): single-shot HPKE base mode with the
// labelled context as info and no aad,
//   EncryptWithLabel(public_key, label, context, plaintext)
//     = SealBase(public_key, EncryptContext{"MLS 1.0 " + label, context}, "", plaintext)
// giving the HPKECiphertext MLS sends. Labels: "UpdatePathNode" for TreeKEM path secrets,
// "Welcome" for a welcome's group secrets.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <string_view>

namespace spence::net::dave::mls {

struct hpke_ciphertext {
  bytes kem_output;  // the HPKE enc
  bytes ciphertext;

  static mls_result<hpke_ciphertext> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const hpke_ciphertext&, const hpke_ciphertext&) = default;
};

mls_result<hpke_ciphertext> encrypt_with_label(bytes_view public_key, std::string_view label, bytes_view context,
                                               bytes_view plaintext);
// decrypt_failed when the ciphertext, label or context do not match; bad_public_key (at enc) for a
// kem_output that is not a P-256 point.
mls_result<bytes> decrypt_with_label(bytes_view private_key, std::string_view label, bytes_view context,
                                     const hpke_ciphertext& ciphertext);

}  // namespace spence::net::dave::mls
