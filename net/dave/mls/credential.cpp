#include "net/dave/mls/credential.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

basic_credential basic_credential::for_user(std::uint64_t user_id) {
  bytes identity(8);
  for (int i = 7; i >= 0; --i, user_id >>= 8) identity[i] = static_cast<std::uint8_t>(user_id);
  return {std::move(identity)};
}

std::optional<std::uint64_t> basic_credential::user_id() const {
  if (identity.size() != 8) return std::nullopt;
  std::uint64_t value = 0;
  for (const auto byte : identity) value = value << 8 | byte;
  return value;
}

mls_result<basic_credential> basic_credential::read(tls_reader& in) {
  auto type = in.u16("credential.credential_type");
  if (!type) return type.error();
  if (*type != credential_type_basic) return make_mls_error(mls_errc::unsupported, "credential.credential_type");
  basic_credential credential;
  if (auto r = read_opaque(in, "credential.identity", credential.identity); !r) return r.error();
  return credential;
}

void basic_credential::write(tls_writer& out) const {
  out.u16(credential_type_basic);
  out.opaque(identity, "credential.identity");
}

}  // namespace spence::net::dave::mls
