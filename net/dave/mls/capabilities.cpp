#include "net/dave/mls/capabilities.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

capabilities capabilities::dave() {
  return {{protocol_version_mls10}, {cipher_suite_dave}, {}, {}, {credential_type_basic}};
}

mls_result<capabilities> capabilities::read(tls_reader& in) {
  capabilities result;
  for (auto [list, field] : {std::pair{&result.versions, "capabilities.versions"},
                             std::pair{&result.cipher_suites, "capabilities.cipher_suites"},
                             std::pair{&result.extensions, "capabilities.extensions"},
                             std::pair{&result.proposals, "capabilities.proposals"},
                             std::pair{&result.credentials, "capabilities.credentials"}}) {
    auto values = read_integers<std::uint16_t>(in, field);
    if (!values) return values.error();
    *list = *std::move(values);
  }
  return result;
}

void capabilities::write(tls_writer& out) const {
  write_integers(out, "capabilities.versions", versions);
  write_integers(out, "capabilities.cipher_suites", cipher_suites);
  write_integers(out, "capabilities.extensions", extensions);
  write_integers(out, "capabilities.proposals", proposals);
  write_integers(out, "capabilities.credentials", credentials);
}

}  // namespace spence::net::dave::mls
