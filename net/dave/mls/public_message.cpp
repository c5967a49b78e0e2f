#include "net/dave/mls/public_message.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/signature.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

bytes public_message::to_be_signed(const group_context& context) const {
  tls_writer out;
  out.u16(protocol_version_mls10);
  out.u16(wire_format_public_message);
  content.write(out);
  if (content.sender.type == sender_type::member) context.write(out);
  return std::move(out).finish().value();
}

mls_result<void> public_message::sign(bytes_view signature_private_key, const group_context& context) {
  auto signed_content = sign_with_label(signature_private_key, "FramedContentTBS", to_be_signed(context));
  if (!signed_content) return signed_content.error();
  signature = *std::move(signed_content);
  return {};
}

mls_result<void> public_message::verify(bytes_view signature_public_key, const group_context& context) const {
  auto verified = verify_with_label(signature_public_key, "FramedContentTBS", to_be_signed(context), signature);
  if (!verified) return verified.error();
  if (!*verified) return make_mls_error(mls_errc::bad_signature, "public_message.signature");
  return {};
}

void public_message::write_auth_data(tls_writer& out) const {
  out.opaque(signature, "public_message.signature");
  if (content.commit_content()) out.opaque(confirmation_tag.value_or(bytes{}), "public_message.confirmation_tag");
}

bytes public_message::to_be_maced(const group_context& context) const {
  tls_writer out;
  out.fixed(to_be_signed(context));
  write_auth_data(out);
  return std::move(out).finish().value();
}

bytes public_message::authenticated_content() const {
  tls_writer out;
  out.u16(wire_format_public_message);
  content.write(out);
  write_auth_data(out);
  return std::move(out).finish().value();
}

bytes public_message::confirmed_transcript_hash_input() const {
  tls_writer out;
  out.u16(wire_format_public_message);
  content.write(out);
  out.opaque(signature, "public_message.signature");
  return std::move(out).finish().value();
}

mls_result<public_message> public_message::read(tls_reader& in) {
  public_message message;
  if (auto r = read_into(in, message.content); !r) return r.error();
  if (auto r = read_opaque(in, "public_message.signature", message.signature); !r) return r.error();
  if (message.content.commit_content()) {
    bytes tag;
    if (auto r = read_opaque(in, "public_message.confirmation_tag", tag); !r) return r.error();
    message.confirmation_tag = std::move(tag);
  }
  if (message.content.sender.type == sender_type::member) {
    bytes tag;
    if (auto r = read_opaque(in, "public_message.membership_tag", tag); !r) return r.error();
    message.membership_tag = std::move(tag);
  }
  return message;
}

void public_message::write(tls_writer& out) const {
  content.write(out);
  write_auth_data(out);
  if (content.sender.type == sender_type::member) out.opaque(membership_tag.value_or(bytes{}), "public_message.membership_tag");
}

mls_result<public_message> external_proposal(bytes group_id, std::uint64_t epoch, proposal body,
                                             bytes_view signature_private_key, std::uint32_t sender_index) {
  public_message message;
  message.content.group_id = std::move(group_id);
  message.content.epoch = epoch;
  message.content.sender = {sender_type::external, sender_index};
  message.content.content = std::move(body);
  // An external sender's FramedContentTBS holds no GroupContext.
  if (auto r = message.sign(signature_private_key, group_context{}); !r) return r.error();
  return message;
}

}  // namespace spence::net::dave::mls
