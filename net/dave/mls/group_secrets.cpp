#include "net/dave/mls/group_secrets.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<group_secrets> group_secrets::read(tls_reader& in) {
  group_secrets secrets;
  if (auto r = read_opaque(in, "group_secrets.joiner_secret", secrets.joiner_secret); !r) return r.error();
  auto has_path_secret = in.present("group_secrets.path_secret");
  if (!has_path_secret) return has_path_secret.error();
  if (*has_path_secret) {
    bytes path_secret;
    if (auto r = read_opaque(in, "group_secrets.path_secret", path_secret); !r) return r.error();
    secrets.path_secret = std::move(path_secret);
  }
  if (auto r = read_opaque(in, "group_secrets.psks", secrets.psks); !r) return r.error();
  return secrets;
}

void group_secrets::write(tls_writer& out) const {
  out.opaque(joiner_secret, "group_secrets.joiner_secret");
  out.present(path_secret.has_value());
  if (path_secret) out.opaque(*path_secret, "group_secrets.path_secret");
  out.opaque(psks, "group_secrets.psks");
}

mls_result<encrypted_group_secrets> encrypted_group_secrets::read(tls_reader& in) {
  encrypted_group_secrets entry;
  if (auto r = read_opaque(in, "encrypted_group_secrets.new_member", entry.new_member); !r) return r.error();
  if (auto r = read_into(in, entry.encrypted_secrets); !r) return r.error();
  return entry;
}

void encrypted_group_secrets::write(tls_writer& out) const {
  out.opaque(new_member, "encrypted_group_secrets.new_member");
  encrypted_secrets.write(out);
}

}  // namespace spence::net::dave::mls
