#include "net/dave/mls/mls_message.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {
namespace {

template <typename Body>
mls_result<mls_message> read_body(tls_reader& in) {
  auto body = Body::read(in);
  if (!body) return body.error();
  return mls_message{*std::move(body)};
}

}  // namespace

mls_result<mls_message> mls_message::read(tls_reader& in) {
  auto version = in.u16("mls_message.version");
  if (!version) return version.error();
  if (*version != protocol_version_mls10) return make_mls_error(mls_errc::unsupported, "mls_message.version");
  auto wire_format = in.u16("mls_message.wire_format");
  if (!wire_format) return wire_format.error();
  switch (*wire_format) {
    case wire_format_public_message:
      return read_body<mls::public_message>(in);
    case wire_format_key_package:
      return read_body<mls::key_package>(in);
    case wire_format_welcome:
      return read_body<mls::welcome>(in);
    case wire_format_group_info:
      return read_body<group_info>(in);
    case wire_format_private_message:
      return make_mls_error(mls_errc::unsupported, "mls_message.wire_format");
    default:
      return make_mls_error(mls_errc::unknown_value, "mls_message.wire_format");
  }
}

void mls_message::write(tls_writer& out) const {
  out.u16(protocol_version_mls10);
  // The wire format of each of the body's alternatives, in the variant's order.
  static constexpr std::uint16_t wire_formats[] = {wire_format_public_message, wire_format_key_package,
                                                   wire_format_welcome, wire_format_group_info};
  out.u16(wire_formats[body.index()]);
  std::visit([&](const auto& message) { message.write(out); }, body);
}

}  // namespace spence::net::dave::mls
