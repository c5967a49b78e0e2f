#include "net/dave/mls/update_path.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<update_path_node> update_path_node::read(tls_reader& in) {
  update_path_node node;
  if (auto r = read_opaque(in, "update_path_node.encryption_key", node.encryption_key); !r) return r.error();
  if (auto r = read_list_into(in, "update_path_node.encrypted_path_secret", node.encrypted_path_secret); !r) {
    return r.error();
  }
  return node;
}

void update_path_node::write(tls_writer& out) const {
  out.opaque(encryption_key, "update_path_node.encryption_key");
  write_list(out, "update_path_node.encrypted_path_secret", encrypted_path_secret);
}

mls_result<update_path> update_path::read(tls_reader& in) {
  update_path path;
  if (auto r = read_into(in, path.leaf_node); !r) return r.error();
  if (auto r = read_list_into(in, "update_path.nodes", path.nodes); !r) return r.error();
  return path;
}

void update_path::write(tls_writer& out) const {
  leaf_node.write(out);
  write_list(out, "update_path.nodes", nodes);
}

}  // namespace spence::net::dave::mls
