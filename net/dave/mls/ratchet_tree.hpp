#pragma once
// The public ratchet tree of an MLS group (RFC 9420 4, 7): in the array layout of tree_math, each
// node blank or holding a leaf_node (even indices) or a parent_node (odd ones). The tree is always
// complete (a power of two leaves); members are added at the leftmost blank leaf or by doubling,
// removed by blanking their leaf and direct path and halving while the right half is empty.
//
// It is read from and written as the ratchet_tree extension (optional<Node> <V>, without trailing
// blanks), which a Welcome carries, and hashed (tree hash, 7.8) into the GroupContext. Reading
// checks what keeps every operation inside the tree: node kinds in their places, a non-blank last
// node, unmerged leaves sorted, below their parent and non-blank. validate() adds what a joiner
// checks before trusting a tree: every leaf's signature and capabilities, unique keys, and that
// every parent node was set by a member below it (parent hashes, 7.9.2).
//
// Private keys are not here: tree_private_state holds a member's own.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/parent_node.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"
#include "net/dave/mls/tree_math.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <variant>
#include <vector>

namespace spence::net::dave::mls {

using tree_node = std::variant<leaf_node, parent_node>;

class ratchet_tree {
 public:
  // A one-member tree, the creator's leaf at index 0: a new group's (RFC 9420 11).
  explicit ratchet_tree(leaf_node creator);

  std::uint32_t leaf_count() const noexcept { return static_cast<std::uint32_t>((nodes_.size() + 1) / 2); }
  bool contains(leaf_index leaf) const noexcept { return leaf.value < leaf_count(); }
  // nullptr for a blank node or an index outside the tree.
  const leaf_node* leaf(leaf_index leaf) const;
  const parent_node* parent(node_index node) const;
  // The HPKE public key of a non-blank node; nullptr for a blank one.
  const bytes* encryption_key(node_index node) const;

  // Add (RFC 9420 12.1.1): the new member's leaf at the leftmost blank leaf, the tree doubled if
  // there is none; the leaf becomes unmerged at every non-blank parent above it.
  leaf_index add(leaf_node leaf);
  // Remove (12.1.3): invalid_tree for a blank or absent leaf.
  mls_result<void> remove(leaf_index leaf);
  // Update (12.1.2): the member's leaf replaced and its direct path blanked.
  mls_result<void> update(leaf_index leaf, leaf_node replacement);

  // The non-blank nodes covering the subtree at `node`, left to right, parents followed by their
  // unmerged leaves (4.1.1).
  std::vector<node_index> resolution(node_index node) const;
  // The direct path without the nodes whose copath child has an empty resolution (4.1.2).
  std::vector<node_index> filtered_direct_path(leaf_index leaf) const;
  // The child of `ancestor` whose subtree does not hold `leaf`: where a path secret for `ancestor`
  // is encrypted to.
  static node_index copath_child(node_index ancestor, leaf_index leaf);

  // The tree hash (7.8) of the whole tree, or of the subtree at `node`.
  bytes tree_hash() const;
  bytes tree_hash(node_index node) const;

  // Merging an UpdatePath's public keys (7.5): blanks the sender's direct path, puts one key on
  // each node of its filtered direct path (no unmerged leaves) and links them by parent hashes from
  // the root down. Returns the parent hash the sender's new leaf must carry; invalid_update_path
  // when the key count differs from the filtered direct path's length or the sender's leaf is blank.
  mls_result<bytes> merge_path_keys(leaf_index sender, std::span<const bytes> public_keys);
  // Puts a leaf in place of a non-blank one (the committer's new leaf after merge_path_keys).
  mls_result<void> replace_leaf(leaf_index leaf, leaf_node replacement);

  // Every non-blank parent node has exactly one descendant whose parent hash chains to it
  // (7.9.2, top down); bad_parent_hash naming the first that has not.
  mls_result<void> verify_parent_hashes() const;
  // What a member checks before using a tree it was given (12.4.3.1): each leaf valid by itself
  // with its group and index (leaf_node::validate), signature and encryption keys unique among
  // leaves (invalid_leaf_node), and the parent hashes. The tree hash is the caller's to compare
  // with the GroupContext.
  mls_result<void> validate(bytes_view group_id) const;

  // The ratchet_tree extension's content.
  static mls_result<ratchet_tree> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const ratchet_tree&, const ratchet_tree&) = default;

 private:
  // NodeType (7.8): how the ratchet_tree extension and TreeHashInput tag a node.
  static constexpr std::uint8_t node_type_leaf = 1;
  static constexpr std::uint8_t node_type_parent = 2;

  ratchet_tree() = default;

  bool blank(node_index node) const { return !nodes_[node.value].has_value(); }
  void blank_direct_path(leaf_index leaf);
  void truncate();
  mls_result<void> check_unmerged_leaves() const;
  // The tree hash with `excluded` leaves blanked and dropped from unmerged lists: the original
  // sibling tree hash of parent hashes.
  bytes subtree_hash(node_index node, std::span<const leaf_index> excluded) const;
  // Hash(ParentHashInput) of a parent node whose copath child is `sibling`.
  bytes parent_hash_of(node_index node, node_index sibling) const;
  bool chains_to(node_index parent_node_index, node_index child) const;

  std::vector<std::optional<tree_node>> nodes_;  // node_width(leaf_count) entries
};

}  // namespace spence::net::dave::mls
