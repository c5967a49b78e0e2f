#include "net/dave/mls/key_package.hpp"

#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/p256_evp.hpp"
#include "net/dave/mls/signature.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/wipe.hpp"

namespace spence::net::dave::mls {

key_package_private_keys::~key_package_private_keys() {
  wipe(init_key);
  wipe(encryption_key);
  wipe(signature_key);
}

void key_package::write_content(tls_writer& out) const {
  out.u16(version);
  out.u16(cipher_suite);
  out.opaque(init_key, "key_package.init_key");
  leaf_node.write(out);
  write_list(out, "key_package.extensions", extensions);
}

bytes key_package::to_be_signed() const {
  tls_writer out;
  write_content(out);
  return std::move(out).finish().value();
}

mls_result<void> key_package::validate() const {
  if (version != protocol_version_mls10) return make_mls_error(mls_errc::unsupported, "key_package.version");
  if (cipher_suite != cipher_suite_dave) return make_mls_error(mls_errc::unsupported, "key_package.cipher_suite");
  if (leaf_node.source != leaf_node_source::key_package) {
    return make_mls_error(mls_errc::invalid_key_package, "key_package.leaf_node.leaf_node_source");
  }
  if (auto leaf = leaf_node.validate({}); !leaf) return leaf.error();
  if (!p256_public_evp_key(init_key)) return make_mls_error(mls_errc::bad_public_key, "key_package.init_key");
  if (!p256_public_evp_key(leaf_node.encryption_key)) {
    return make_mls_error(mls_errc::bad_public_key, "key_package.leaf_node.encryption_key");
  }
  if (init_key == leaf_node.encryption_key) return make_mls_error(mls_errc::invalid_key_package, "key_package.init_key");
  auto verified = verify_with_label(leaf_node.signature_key, "KeyPackageTBS", to_be_signed(), signature);
  if (!verified) return verified.error();
  if (!*verified) return make_mls_error(mls_errc::bad_signature, "key_package.signature");
  return {};
}

bytes key_package::ref() const { return ref_hash("MLS 1.0 KeyPackage Reference", encode(*this)); }

mls_result<key_package> key_package::read(tls_reader& in) {
  key_package package;
  auto version = in.u16("key_package.version");
  if (!version) return version.error();
  package.version = *version;
  auto cipher_suite = in.u16("key_package.cipher_suite");
  if (!cipher_suite) return cipher_suite.error();
  package.cipher_suite = *cipher_suite;
  if (auto r = read_opaque(in, "key_package.init_key", package.init_key); !r) return r.error();
  if (auto r = read_into(in, package.leaf_node); !r) return r.error();
  if (auto r = read_list_into(in, "key_package.extensions", package.extensions); !r) return r.error();
  if (auto r = read_opaque(in, "key_package.signature", package.signature); !r) return r.error();
  return package;
}

void key_package::write(tls_writer& out) const {
  write_content(out);
  out.opaque(signature, "key_package.signature");
}

mls_result<created_key_package> create_key_package(std::uint64_t user_id) {
  // HPKE's GenerateKeyPair gives P-256 pairs in the raw forms the signature code takes too.
  auto init = generate_key_pair();
  auto encryption = generate_key_pair();
  auto signing = generate_key_pair();
  created_key_package created;
  auto& package = created.package;
  package.init_key = std::move(init.public_key);
  auto& leaf = package.leaf_node;
  leaf.encryption_key = std::move(encryption.public_key);
  leaf.signature_key = std::move(signing.public_key);
  leaf.credential = basic_credential::for_user(user_id);
  leaf.capabilities = capabilities::dave();
  leaf.source = leaf_node_source::key_package;
  leaf.lifetime = {};
  created.private_keys.init_key = std::move(init.private_key);
  created.private_keys.encryption_key = std::move(encryption.private_key);
  created.private_keys.signature_key = std::move(signing.private_key);
  if (auto r = leaf.sign(created.private_keys.signature_key, {}); !r) return r.error();
  auto signature = sign_with_label(created.private_keys.signature_key, "KeyPackageTBS", package.to_be_signed());
  if (!signature) return signature.error();
  package.signature = *std::move(signature);
  return created;
}

}  // namespace spence::net::dave::mls
