#include "net/dave/mls/parent_node.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<parent_node> parent_node::read(tls_reader& in) {
  parent_node node;
  if (auto r = read_opaque(in, "parent_node.encryption_key", node.encryption_key); !r) return r.error();
  if (auto r = read_opaque(in, "parent_node.parent_hash", node.parent_hash); !r) return r.error();
  auto unmerged = read_integers<std::uint32_t>(in, "parent_node.unmerged_leaves");
  if (!unmerged) return unmerged.error();
  for (const auto leaf : *unmerged) node.unmerged_leaves.push_back(leaf_index{leaf});
  return node;
}

void parent_node::write(tls_writer& out) const {
  out.opaque(encryption_key, "parent_node.encryption_key");
  out.opaque(parent_hash, "parent_node.parent_hash");
  out.vector("parent_node.unmerged_leaves", [&](tls_writer& leaves) {
    for (const auto leaf : unmerged_leaves) leaves.u32(leaf.value);
  });
}

}  // namespace spence::net::dave::mls
