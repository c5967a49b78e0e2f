#include "net/dave/mls/tree_math.hpp"

#include <bit>

namespace spence::net::dave::mls {

std::optional<leaf_index> leaf_of(node_index node) noexcept {
  if (!is_leaf(node)) return std::nullopt;
  return leaf_index{node.value / 2};
}

std::uint32_t node_width(std::uint32_t leaf_count) noexcept { return leaf_count == 0 ? 0 : 2 * (leaf_count - 1) + 1; }

node_index root(std::uint32_t leaf_count) noexcept {
  // The widest power of two not above the width, less one: the middle of a complete tree.
  return {std::bit_floor(node_width(leaf_count)) - 1};
}

std::uint32_t level(node_index node) noexcept { return static_cast<std::uint32_t>(std::countr_one(node.value)); }

std::optional<node_index> left(node_index node) noexcept {
  const std::uint32_t k = level(node);
  if (k == 0) return std::nullopt;
  return node_index{node.value ^ (1u << (k - 1))};
}

std::optional<node_index> right(node_index node) noexcept {
  const std::uint32_t k = level(node);
  if (k == 0) return std::nullopt;
  return node_index{node.value ^ (3u << (k - 1))};
}

std::optional<node_index> parent(node_index node, std::uint32_t leaf_count) noexcept {
  if (node == root(leaf_count)) return std::nullopt;
  // Set the bit at this level (the parent's trailing ones grow by one) and, for a right child,
  // clear the bit above it.
  const std::uint32_t k = level(node);
  const std::uint32_t is_right_child = (node.value >> (k + 1)) & 1u;
  return node_index{(node.value | (1u << k)) ^ (is_right_child << (k + 1))};
}

std::optional<node_index> sibling(node_index node, std::uint32_t leaf_count) noexcept {
  const auto up = parent(node, leaf_count);
  if (!up) return std::nullopt;
  return node < *up ? right(*up) : left(*up);
}

std::vector<node_index> direct_path(node_index node, std::uint32_t leaf_count) {
  std::vector<node_index> path;
  for (auto up = parent(node, leaf_count); up; up = parent(*up, leaf_count)) path.push_back(*up);
  return path;
}

std::vector<node_index> copath(node_index node, std::uint32_t leaf_count) {
  std::vector<node_index> siblings;
  for (auto at = node; at != root(leaf_count); at = *parent(at, leaf_count)) siblings.push_back(*sibling(at, leaf_count));
  return siblings;
}

node_index common_ancestor(node_index a, node_index b) noexcept {
  // Shift both down to their common prefix; the ancestor is that prefix followed by 0 then ones.
  const std::uint32_t level_a = level(a) + 1;
  const std::uint32_t level_b = level(b) + 1;
  if (level_a <= level_b && a.value >> level_b == b.value >> level_b) return b;
  if (level_b <= level_a && a.value >> level_a == b.value >> level_a) return a;
  std::uint32_t x = a.value;
  std::uint32_t y = b.value;
  std::uint32_t k = 0;
  while (x != y) {
    x >>= 1;
    y >>= 1;
    ++k;
  }
  return node_index{(x << k) + (1u << (k - 1)) - 1};
}

}  // namespace spence::net::dave::mls
