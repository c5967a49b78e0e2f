#include "net/dave/mls/encrypt_with_label.hpp"

#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/labeled_content.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<hpke_ciphertext> hpke_ciphertext::read(tls_reader& in) {
  hpke_ciphertext result;
  if (auto r = read_opaque(in, "hpke_ciphertext.kem_output", result.kem_output); !r) return r.error();
  if (auto r = read_opaque(in, "hpke_ciphertext.ciphertext", result.ciphertext); !r) return r.error();
  return result;
}

void hpke_ciphertext::write(tls_writer& out) const {
  out.opaque(kem_output, "hpke_ciphertext.kem_output");
  out.opaque(ciphertext, "hpke_ciphertext.ciphertext");
}

mls_result<hpke_ciphertext> encrypt_with_label(bytes_view public_key, std::string_view label, bytes_view context,
                                               bytes_view plaintext) {
  auto sender = setup_base_sender(public_key, labeled_content(label, context));
  if (!sender) return sender.error();
  auto ciphertext = sender->context.seal({}, plaintext);
  if (!ciphertext) return ciphertext.error();
  return hpke_ciphertext{std::move(sender->enc), *std::move(ciphertext)};
}

mls_result<bytes> decrypt_with_label(bytes_view private_key, std::string_view label, bytes_view context,
                                     const hpke_ciphertext& ciphertext) {
  auto recipient = setup_base_recipient(ciphertext.kem_output, private_key, labeled_content(label, context));
  if (!recipient) return recipient.error();
  return recipient->open({}, ciphertext.ciphertext);
}

}  // namespace spence::net::dave::mls
