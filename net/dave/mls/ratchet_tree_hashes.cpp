// The ratchet tree's hashes (RFC 9420 7.8, 7.9) and the validation built on them: the part of
// ratchet_tree that summarises and authenticates the tree rather than changing it.

#include "net/dave/mls/ratchet_tree.hpp"

#include "net/dave/mls/hash.hpp"

#include <algorithm>
#include <set>
#include <string>

namespace spence::net::dave::mls {
namespace {

bool excludes(std::span<const leaf_index> excluded, leaf_index leaf) {
  return std::find(excluded.begin(), excluded.end(), leaf) != excluded.end();
}

std::string leaf_field(leaf_index leaf, const std::string& what) {
  return "ratchet_tree leaf " + std::to_string(leaf.value) + ": " + what;
}

}  // namespace

bytes ratchet_tree::tree_hash() const { return tree_hash(root(leaf_count())); }

bytes ratchet_tree::tree_hash(node_index node) const { return subtree_hash(node, {}); }

bytes ratchet_tree::subtree_hash(node_index node, std::span<const leaf_index> excluded) const {
  tls_writer input;  // TreeHashInput
  if (const auto at = leaf_of(node)) {
    input.u8(node_type_leaf);
    input.u32(at->value);
    const auto* value = leaf(*at);
    input.present(value != nullptr && !excludes(excluded, *at));
    if (value != nullptr && !excludes(excluded, *at)) value->write(input);
  } else {
    input.u8(node_type_parent);
    const auto* value = parent(node);
    input.present(value != nullptr);
    if (value != nullptr) {
      parent_node kept = *value;
      std::erase_if(kept.unmerged_leaves, [&](leaf_index unmerged) { return excludes(excluded, unmerged); });
      kept.write(input);
    }
    input.opaque(subtree_hash(*left(node), excluded), "left_hash");
    input.opaque(subtree_hash(*right(node), excluded), "right_hash");
  }
  return sha256(std::move(input).finish().value());
}

bytes ratchet_tree::parent_hash_of(node_index node, node_index sibling) const {
  const auto* value = parent(node);
  tls_writer input;  // ParentHashInput
  input.opaque(value->encryption_key, "encryption_key");
  input.opaque(value->parent_hash, "parent_hash");
  // The original sibling tree hash: the sibling's subtree as it was when this node was set, before
  // the leaves added since (its unmerged leaves) arrived.
  input.opaque(subtree_hash(sibling, value->unmerged_leaves), "original_sibling_tree_hash");
  return sha256(std::move(input).finish().value());
}

bool ratchet_tree::chains_to(node_index parent_index, node_index child) const {
  // Some node D in the child's resolution carries P's parent hash, and the rest of that
  // resolution is exactly P's unmerged leaves under the child: D and P were set by one UpdatePath.
  const auto* p = parent(parent_index);
  std::set<node_index> unmerged_below;
  for (const auto unmerged : p->unmerged_leaves) {
    const auto node = node_of(unmerged);
    if ((node < parent_index) == (child < parent_index)) unmerged_below.insert(node);
  }
  const auto covering = resolution(child);
  std::vector<node_index> rest;
  for (const auto node : covering) {
    if (!unmerged_below.contains(node)) rest.push_back(node);
  }
  if (rest.size() != 1 || covering.size() != unmerged_below.size() + 1) return false;
  const node_index sibling = child < parent_index ? *right(parent_index) : *left(parent_index);
  const bytes* carried = nullptr;
  if (const auto at = leaf_of(rest[0])) {
    const auto* value = leaf(*at);
    if (value->source == leaf_node_source::commit) carried = &value->parent_hash;
  } else {
    carried = &parent(rest[0])->parent_hash;
  }
  return carried != nullptr && *carried == parent_hash_of(parent_index, sibling);
}

mls_result<void> ratchet_tree::verify_parent_hashes() const {
  for (std::uint32_t i = 1; i < nodes_.size(); i += 2) {
    const node_index node{i};
    if (!parent(node)) continue;
    const int links = int{chains_to(node, *left(node))} + int{chains_to(node, *right(node))};
    if (links != 1) return make_mls_error(mls_errc::bad_parent_hash, "ratchet_tree[" + std::to_string(i) + "]");
  }
  return {};
}

mls_result<void> ratchet_tree::validate(bytes_view group_id) const {
  std::set<bytes> signature_keys;
  std::set<bytes> encryption_keys;
  for (leaf_index at{0}; contains(at); ++at.value) {
    const auto* value = leaf(at);
    if (!value) continue;
    if (auto r = value->validate({group_id, at}); !r) return mls_error{r.error().code, leaf_field(at, r.error().field)};
    if (!signature_keys.insert(value->signature_key).second) {
      return make_mls_error(mls_errc::invalid_leaf_node, leaf_field(at, "leaf_node.signature_key"));
    }
    if (!encryption_keys.insert(value->encryption_key).second) {
      return make_mls_error(mls_errc::invalid_leaf_node, leaf_field(at, "leaf_node.encryption_key"));
    }
  }
  return verify_parent_hashes();
}

}  // namespace spence::net::dave::mls
