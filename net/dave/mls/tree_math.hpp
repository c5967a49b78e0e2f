#pragma once
// The array layout of an MLS ratchet tree (RFC 9420 4.2 and appendix C): leaves at even node
// indices, parents at odd ones, a node's level the number of trailing 1 bits of its index. The
// tree is always complete: its leaf count a power of two (a group of 3 has 4 leaves, one blank),
// so 2 * leaf_count - 1 nodes.
//
// Leaf and node indices are different numbers for the same member (leaf 3 is node 6); distinct
// types keep them apart. Functions that are undefined for some nodes (a leaf has no children, the
// root no parent) return std::nullopt there rather than a wrong index. Indices outside the tree
// are the caller's bug: ratchet tree code checks indices from the wire against the width first.

#include <compare>
#include <cstdint>
#include <optional>
#include <vector>

namespace spence::net::dave::mls {

struct leaf_index {
  std::uint32_t value = 0;
  friend auto operator<=>(leaf_index, leaf_index) = default;
};

struct node_index {
  std::uint32_t value = 0;
  friend auto operator<=>(node_index, node_index) = default;
};

constexpr node_index node_of(leaf_index leaf) noexcept { return {2 * leaf.value}; }
constexpr bool is_leaf(node_index node) noexcept { return node.value % 2 == 0; }
// The leaf a leaf node holds; nullopt for parent nodes.
std::optional<leaf_index> leaf_of(node_index node) noexcept;

// A tree of `leaf_count` leaves (a power of two, at least 1).
std::uint32_t node_width(std::uint32_t leaf_count) noexcept;
node_index root(std::uint32_t leaf_count) noexcept;
// 0 for leaves; the root of a 2^k-leaf tree has level k.
std::uint32_t level(node_index node) noexcept;

std::optional<node_index> left(node_index node) noexcept;
std::optional<node_index> right(node_index node) noexcept;
std::optional<node_index> parent(node_index node, std::uint32_t leaf_count) noexcept;
std::optional<node_index> sibling(node_index node, std::uint32_t leaf_count) noexcept;

// The parents from `node` up to and including the root, nearest first; empty for the root.
std::vector<node_index> direct_path(node_index node, std::uint32_t leaf_count);
// The sibling of `node` and of each node on its direct path below the root, nearest first.
std::vector<node_index> copath(node_index node, std::uint32_t leaf_count);
// The lowest node whose subtree holds both (the node itself if one holds the other).
node_index common_ancestor(node_index a, node_index b) noexcept;

}  // namespace spence::net::dave::mls
