#pragma once
// A parent node of the ratchet tree (RFC 9420 7.1): the HPKE public key the members below it share,
// the parent hash linking it to the node above on the path that set it, and the leaves below it
// added since then, which do not know its private key (unmerged leaves, in increasing order).

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"
#include "net/dave/mls/tree_math.hpp"

#include <vector>

namespace spence::net::dave::mls {

struct parent_node {
  bytes encryption_key;
  bytes parent_hash;
  std::vector<leaf_index> unmerged_leaves;

  static mls_result<parent_node> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const parent_node&, const parent_node&) = default;
};

}  // namespace spence::net::dave::mls
