#include "net/dave/mls/framed_content.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {
namespace {

// SenderType and ContentType (RFC 9420 6).
constexpr std::uint8_t sender_type_new_member_commit = 4;
constexpr std::uint8_t content_type_application = 1;
constexpr std::uint8_t content_type_proposal = 2;
constexpr std::uint8_t content_type_commit = 3;

}  // namespace

mls_result<sender> sender::read(tls_reader& in) {
  auto type = in.u8("sender.sender_type");
  if (!type) return type.error();
  if (*type == static_cast<std::uint8_t>(sender_type::member) ||
      *type == static_cast<std::uint8_t>(sender_type::external)) {
    auto index = in.u32("sender.index");
    if (!index) return index.error();
    return sender{static_cast<sender_type>(*type), *index};
  }
  if (*type != 0 && *type <= sender_type_new_member_commit) return make_mls_error(mls_errc::unsupported, "sender.sender_type");
  return make_mls_error(mls_errc::unknown_value, "sender.sender_type");
}

void sender::write(tls_writer& out) const {
  out.u8(static_cast<std::uint8_t>(type));
  out.u32(index);
}

mls_result<framed_content> framed_content::read(tls_reader& in) {
  framed_content framed;
  if (auto r = read_opaque(in, "framed_content.group_id", framed.group_id); !r) return r.error();
  auto epoch = in.u64("framed_content.epoch");
  if (!epoch) return epoch.error();
  framed.epoch = *epoch;
  if (auto r = read_into(in, framed.sender); !r) return r.error();
  if (auto r = read_opaque(in, "framed_content.authenticated_data", framed.authenticated_data); !r) return r.error();
  auto type = in.u8("framed_content.content_type");
  if (!type) return type.error();
  switch (*type) {
    case content_type_application: {
      application_data data;
      if (auto r = read_opaque(in, "framed_content.application_data", data.data); !r) return r.error();
      framed.content = std::move(data);
      return framed;
    }
    case content_type_proposal: {
      auto content = proposal::read(in);
      if (!content) return content.error();
      framed.content = *std::move(content);
      return framed;
    }
    case content_type_commit: {
      auto content = commit::read(in);
      if (!content) return content.error();
      framed.content = *std::move(content);
      return framed;
    }
    default:
      return make_mls_error(mls_errc::unknown_value, "framed_content.content_type");
  }
}

void framed_content::write(tls_writer& out) const {
  out.opaque(group_id, "framed_content.group_id");
  out.u64(epoch);
  sender.write(out);
  out.opaque(authenticated_data, "framed_content.authenticated_data");
  if (const auto* data = std::get_if<application_data>(&content)) {
    out.u8(content_type_application);
    out.opaque(data->data, "framed_content.application_data");
  } else if (const auto* p = proposal_content()) {
    out.u8(content_type_proposal);
    p->write(out);
  } else {
    out.u8(content_type_commit);
    commit_content()->write(out);
  }
}

}  // namespace spence::net::dave::mls
