#include "net/dave/mls/group_info.hpp"

#include "net/dave/mls/signature.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

void group_info::write_content(tls_writer& out) const {
  group_context.write(out);
  write_list(out, "group_info.extensions", extensions);
  out.opaque(confirmation_tag, "group_info.confirmation_tag");
  out.u32(signer);
}

bytes group_info::to_be_signed() const {
  tls_writer out;
  write_content(out);
  return std::move(out).finish().value();
}

mls_result<void> group_info::sign(bytes_view signature_private_key) {
  auto signed_info = sign_with_label(signature_private_key, "GroupInfoTBS", to_be_signed());
  if (!signed_info) return signed_info.error();
  signature = *std::move(signed_info);
  return {};
}

mls_result<void> group_info::verify(bytes_view signer_public_key) const {
  auto verified = verify_with_label(signer_public_key, "GroupInfoTBS", to_be_signed(), signature);
  if (!verified) return verified.error();
  if (!*verified) return make_mls_error(mls_errc::bad_signature, "group_info.signature");
  return {};
}

mls_result<group_info> group_info::read(tls_reader& in) {
  group_info info;
  if (auto r = read_into(in, info.group_context); !r) return r.error();
  if (auto r = read_list_into(in, "group_info.extensions", info.extensions); !r) return r.error();
  if (auto r = read_opaque(in, "group_info.confirmation_tag", info.confirmation_tag); !r) return r.error();
  auto signer = in.u32("group_info.signer");
  if (!signer) return signer.error();
  info.signer = *signer;
  if (auto r = read_opaque(in, "group_info.signature", info.signature); !r) return r.error();
  return info;
}

void group_info::write(tls_writer& out) const {
  write_content(out);
  out.opaque(signature, "group_info.signature");
}

}  // namespace spence::net::dave::mls
