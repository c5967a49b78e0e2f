#pragma once
// The UpdatePath a commit carries (RFC 9420 7.6): the committer's new leaf, and for each node of
// its filtered direct path the node's new public key with its path secret encrypted to each node
// of the resolution of the copath child. treekem.hpp makes and applies them.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <vector>

namespace spence::net::dave::mls {

struct update_path_node {
  bytes encryption_key;
  std::vector<hpke_ciphertext> encrypted_path_secret;

  static mls_result<update_path_node> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const update_path_node&, const update_path_node&) = default;
};

struct update_path {
  mls::leaf_node leaf_node;
  std::vector<update_path_node> nodes;

  static mls_result<update_path> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const update_path&, const update_path&) = default;
};

}  // namespace spence::net::dave::mls
