#include "net/dave/mls/ratchet_tree.hpp"

#include <algorithm>
#include <string>

namespace spence::net::dave::mls {
namespace {

std::string node_field(node_index node, std::string_view what) {
  return "ratchet_tree[" + std::to_string(node.value) + "]." + std::string(what);
}

// Whether `node` lies in the subtree rooted at `ancestor` (the subtree of a level-k node spans
// the 2^(k+1) - 1 indices centred on it).
bool in_subtree(node_index node, node_index ancestor) {
  const std::uint32_t half = (1u << level(ancestor)) - 1;
  return node.value + half >= ancestor.value && node.value <= ancestor.value + half;
}

}  // namespace

ratchet_tree::ratchet_tree(leaf_node creator) { nodes_.emplace_back(std::move(creator)); }

const leaf_node* ratchet_tree::leaf(leaf_index leaf) const {
  if (!contains(leaf) || blank(node_of(leaf))) return nullptr;
  return &std::get<leaf_node>(*nodes_[node_of(leaf).value]);
}

const parent_node* ratchet_tree::parent(node_index node) const {
  if (node.value >= nodes_.size() || is_leaf(node) || blank(node)) return nullptr;
  return &std::get<parent_node>(*nodes_[node.value]);
}

const bytes* ratchet_tree::encryption_key(node_index node) const {
  if (node.value >= nodes_.size() || blank(node)) return nullptr;
  return std::visit([](const auto& value) { return &value.encryption_key; }, *nodes_[node.value]);
}

leaf_index ratchet_tree::add(leaf_node new_leaf) {
  leaf_index at{0};
  while (contains(at) && !blank(node_of(at))) ++at.value;
  if (!contains(at)) nodes_.resize(node_width(2 * leaf_count()));
  for (const auto up : direct_path(node_of(at), leaf_count())) {
    if (blank(up)) continue;
    auto& unmerged = std::get<parent_node>(*nodes_[up.value]).unmerged_leaves;
    unmerged.insert(std::lower_bound(unmerged.begin(), unmerged.end(), at), at);
  }
  nodes_[node_of(at).value] = std::move(new_leaf);
  return at;
}

void ratchet_tree::blank_direct_path(leaf_index leaf) {
  for (const auto up : direct_path(node_of(leaf), leaf_count())) nodes_[up.value].reset();
}

void ratchet_tree::truncate() {
  // Halve while every leaf of the right half is blank; a blank parent there would be unreachable.
  while (leaf_count() > 1) {
    const std::uint32_t half = leaf_count() / 2;
    bool right_blank = true;
    for (std::uint32_t i = half; i < leaf_count() && right_blank; ++i) right_blank = blank(node_of(leaf_index{i}));
    if (!right_blank) return;
    nodes_.resize(node_width(half));
  }
}

mls_result<void> ratchet_tree::remove(leaf_index removed) {
  if (!leaf(removed)) return make_mls_error(mls_errc::invalid_tree, "remove.removed");
  nodes_[node_of(removed).value].reset();
  blank_direct_path(removed);
  truncate();
  return {};
}

mls_result<void> ratchet_tree::update(leaf_index updated, leaf_node replacement) {
  if (auto r = replace_leaf(updated, std::move(replacement)); !r) return r;
  blank_direct_path(updated);
  return {};
}

mls_result<void> ratchet_tree::replace_leaf(leaf_index replaced, leaf_node replacement) {
  if (!leaf(replaced)) return make_mls_error(mls_errc::invalid_tree, "leaf_index");
  nodes_[node_of(replaced).value] = std::move(replacement);
  return {};
}

std::vector<node_index> ratchet_tree::resolution(node_index node) const {
  if (!blank(node)) {
    std::vector<node_index> nodes{node};
    if (const auto* p = parent(node)) {
      for (const auto unmerged : p->unmerged_leaves) nodes.push_back(node_of(unmerged));
    }
    return nodes;
  }
  if (is_leaf(node)) return {};
  auto nodes = resolution(*left(node));
  const auto right_nodes = resolution(*right(node));
  nodes.insert(nodes.end(), right_nodes.begin(), right_nodes.end());
  return nodes;
}

node_index ratchet_tree::copath_child(node_index ancestor, leaf_index leaf) {
  // In the array layout a left subtree's indices are below its parent's, a right subtree's above.
  return node_of(leaf) < ancestor ? *right(ancestor) : *left(ancestor);
}

std::vector<node_index> ratchet_tree::filtered_direct_path(leaf_index leaf) const {
  std::vector<node_index> path;
  for (const auto up : direct_path(node_of(leaf), leaf_count())) {
    if (!resolution(copath_child(up, leaf)).empty()) path.push_back(up);
  }
  return path;
}

mls_result<bytes> ratchet_tree::merge_path_keys(leaf_index sender, std::span<const bytes> public_keys) {
  if (!leaf(sender)) return make_mls_error(mls_errc::invalid_update_path, "sender");
  const auto path = filtered_direct_path(sender);
  if (path.size() != public_keys.size()) return make_mls_error(mls_errc::invalid_update_path, "update_path.nodes");
  blank_direct_path(sender);
  for (std::size_t i = 0; i < path.size(); ++i) {
    nodes_[path[i].value] = parent_node{bytes(public_keys[i].begin(), public_keys[i].end()), {}, {}};
  }
  // From the root down: each node carries the parent hash of the next node up the path.
  bytes above;
  for (std::size_t i = path.size(); i-- > 0;) {
    std::get<parent_node>(*nodes_[path[i].value]).parent_hash = above;
    above = parent_hash_of(path[i], copath_child(path[i], sender));
  }
  return above;
}

mls_result<void> ratchet_tree::check_unmerged_leaves() const {
  for (std::uint32_t i = 1; i < nodes_.size(); i += 2) {
    const auto* p = parent(node_index{i});
    if (!p) continue;
    for (std::size_t k = 0; k < p->unmerged_leaves.size(); ++k) {
      const auto unmerged = p->unmerged_leaves[k];
      const bool sorted = k == 0 || p->unmerged_leaves[k - 1] < unmerged;
      if (!sorted || !leaf(unmerged) || !in_subtree(node_of(unmerged), node_index{i})) {
        return make_mls_error(mls_errc::invalid_tree, node_field(node_index{i}, "unmerged_leaves"));
      }
    }
  }
  return {};
}

mls_result<ratchet_tree> ratchet_tree::read(tls_reader& in) {
  auto body = in.vector("ratchet_tree");
  if (!body) return body.error();
  ratchet_tree tree;
  while (!body->empty()) {
    const node_index at{static_cast<std::uint32_t>(tree.nodes_.size())};
    auto present = body->present("node");
    if (!present) return present.error();
    if (!*present) {
      tree.nodes_.emplace_back();
      continue;
    }
    auto type = body->u8("node.node_type");
    if (!type) return type.error();
    if (*type != node_type_leaf && *type != node_type_parent) {
      return make_mls_error(mls_errc::unknown_value, node_field(at, "node_type"));
    }
    if ((*type == node_type_leaf) != is_leaf(at)) return make_mls_error(mls_errc::invalid_tree, node_field(at, "node_type"));
    if (is_leaf(at)) {
      auto value = leaf_node::read(*body);
      if (!value) return value.error();
      tree.nodes_.emplace_back(*std::move(value));
    } else {
      auto value = parent_node::read(*body);
      if (!value) return value.error();
      tree.nodes_.emplace_back(*std::move(value));
    }
  }
  // The sender leaves out the blanks after the last node; a blank last node (or none) is refused
  // so that only one encoding reads as this tree.
  if (tree.nodes_.empty() || !tree.nodes_.back()) return make_mls_error(mls_errc::invalid_tree, "ratchet_tree");
  std::uint32_t leaves = 1;
  while (node_width(leaves) < tree.nodes_.size()) leaves *= 2;
  tree.nodes_.resize(node_width(leaves));
  if (auto r = tree.check_unmerged_leaves(); !r) return r.error();
  return tree;
}

void ratchet_tree::write(tls_writer& out) const {
  std::size_t used = nodes_.size();
  while (used > 0 && !nodes_[used - 1]) --used;
  out.vector("ratchet_tree", [&](tls_writer& nodes) {
    for (std::size_t i = 0; i < used; ++i) {
      nodes.present(nodes_[i].has_value());
      if (!nodes_[i]) continue;
      nodes.u8(is_leaf(node_index{static_cast<std::uint32_t>(i)}) ? node_type_leaf : node_type_parent);
      std::visit([&](const auto& value) { value.write(nodes); }, *nodes_[i]);
    }
  });
}

}  // namespace spence::net::dave::mls
