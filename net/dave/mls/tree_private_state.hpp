#pragma once
// A member's private half of the ratchet tree: its leaf index, the HPKE private key of its leaf and
// of the parent nodes above it whose path secrets it has received (RFC 9420 4.2's tree invariant:
// a member knows the private keys of the non-blank nodes on its own direct path that it is merged
// into). A group's state holds one beside the public ratchet_tree; TreeKEM replaces keys as paths
// arrive. Keys are wiped when replaced or destroyed, and never logged.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/ratchet_tree.hpp"
#include "net/dave/mls/tree_math.hpp"

#include <map>
#include <span>

namespace spence::net::dave::mls {

class tree_private_state {
 public:
  tree_private_state(leaf_index own, bytes leaf_private_key);
  tree_private_state(const tree_private_state&) = default;
  tree_private_state(tree_private_state&&) = default;
  // Wipes the keys it replaces (copy or move in by value).
  tree_private_state& operator=(tree_private_state other) noexcept;
  ~tree_private_state();

  leaf_index own_leaf() const noexcept { return own_; }
  // nullptr when this member does not hold the node's key.
  const bytes* private_key(node_index node) const;

  void set_private_key(node_index node, bytes private_key);
  // The node's key pair from its path secret: DeriveKeyPair(DeriveSecret(path_secret, "node"))
  // (7.4). Sets the private key and returns the public one.
  mls_result<bytes> set_path_secret(node_index node, bytes_view path_secret);
  // Drops (wipes) the keys of these nodes: a path merged over them replaced them.
  void forget(std::span<const node_index> nodes);

  // From `path_secret` at path[0], each next path secret DeriveSecret(previous, "path") for the
  // next node of `path` (a filtered direct path, from some node up to its end): sets the nodes'
  // keys after checking each derived public key equals the tree's (invalid_update_path otherwise),
  // and returns the path secret one past the last node, the commit secret (12.4.2). How a member
  // takes in a path secret from an UpdatePath or a Welcome's GroupSecrets.
  mls_result<bytes> implant(const ratchet_tree& tree, std::span<const node_index> path, bytes path_secret);

  // Every key held belongs to a non-blank node with the matching public key (invalid_tree
  // otherwise, naming the node).
  mls_result<void> check_against(const ratchet_tree& tree) const;

 private:
  void wipe_all() noexcept;

  leaf_index own_;
  std::map<node_index, bytes> keys_;  // the own leaf's node and parent nodes
};

}  // namespace spence::net::dave::mls
