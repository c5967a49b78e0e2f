// Tree math against the MLS working group's tree-math vectors (left, right, parent, sibling and
// root of every node in trees of 1 to 512 leaves), RFC 9420's worked example for direct path and
// copath, and the common ancestor against its definition (the lowest node both direct paths share).

#include "net/dave/mls/tree_math.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <algorithm>

namespace spence::net::dave::mls {
namespace {

std::optional<node_index> expected_node(const boost::json::value& list, std::size_t i) {
  const auto& entry = list.as_array().at(i);
  if (entry.is_null()) return std::nullopt;
  return node_index{static_cast<std::uint32_t>(entry.to_number<std::uint64_t>())};
}

TEST(TreeMath, MatchesTheTreeMathVectors) {
  const auto vectors = test::load_vectors("tree-math.json");
  int ran = 0;
  for (const auto& vector : vectors.as_array()) {
    const auto leaves = static_cast<std::uint32_t>(vector.at("n_leaves").to_number<std::uint64_t>());
    ASSERT_EQ(node_width(leaves), vector.at("n_nodes").to_number<std::uint64_t>());
    EXPECT_EQ(root(leaves).value, vector.at("root").to_number<std::uint64_t>());
    for (std::uint32_t i = 0; i < node_width(leaves); ++i) {
      const node_index node{i};
      EXPECT_EQ(left(node), expected_node(vector.at("left"), i)) << leaves << " leaves, node " << i;
      EXPECT_EQ(right(node), expected_node(vector.at("right"), i)) << leaves << " leaves, node " << i;
      EXPECT_EQ(parent(node, leaves), expected_node(vector.at("parent"), i)) << leaves << " leaves, node " << i;
      EXPECT_EQ(sibling(node, leaves), expected_node(vector.at("sibling"), i)) << leaves << " leaves, node " << i;
    }
    ++ran;
  }
  EXPECT_EQ(ran, 10);
  test::report_vectors("tree-math.json", ran);
}

TEST(TreeMath, DirectPathAndCopathOfRfc9420sEightLeafTree) {
  // RFC 9420 4.1's eight-member tree: A is leaf 0; its direct path is nodes 1, 3, 7 and its copath
  // B (node 2), the parent of C and D (5), the parent of E to H (11).
  using nodes = std::vector<node_index>;
  EXPECT_EQ(direct_path(node_index{0}, 8), (nodes{{1}, {3}, {7}}));
  EXPECT_EQ(copath(node_index{0}, 8), (nodes{{2}, {5}, {11}}));
  EXPECT_EQ(direct_path(node_index{10}, 8), (nodes{{9}, {11}, {7}}));
  EXPECT_EQ(copath(node_index{10}, 8), (nodes{{8}, {13}, {3}}));
  EXPECT_TRUE(direct_path(node_index{7}, 8).empty());
  EXPECT_TRUE(copath(node_index{7}, 8).empty());
  EXPECT_TRUE(direct_path(node_index{0}, 1).empty());
}

TEST(TreeMath, LevelsAndLeafNodeConversion) {
  EXPECT_EQ(level(node_index{0}), 0u);
  EXPECT_EQ(level(node_index{5}), 1u);
  EXPECT_EQ(level(node_index{11}), 2u);
  EXPECT_EQ(level(root(512)), 9u);
  EXPECT_EQ(node_of(leaf_index{3}), node_index{6});
  EXPECT_EQ(leaf_of(node_index{6}), leaf_index{3});
  EXPECT_EQ(leaf_of(node_index{7}), std::nullopt);
  EXPECT_EQ(node_width(0), 0u);
}

TEST(TreeMath, CommonAncestorIsTheLowestNodeBothDirectPathsShare) {
  for (std::uint32_t leaves : {1u, 2u, 4u, 8u, 32u}) {
    for (std::uint32_t a = 0; a < node_width(leaves); ++a) {
      for (std::uint32_t b = 0; b < node_width(leaves); ++b) {
        auto path_a = direct_path(node_index{a}, leaves);
        path_a.insert(path_a.begin(), node_index{a});
        auto path_b = direct_path(node_index{b}, leaves);
        path_b.insert(path_b.begin(), node_index{b});
        const auto shared = std::find_first_of(path_a.begin(), path_a.end(), path_b.begin(), path_b.end());
        ASSERT_NE(shared, path_a.end());
        EXPECT_EQ(common_ancestor(node_index{a}, node_index{b}), *shared) << leaves << " leaves, " << a << " and " << b;
      }
    }
  }
}

}  // namespace
}  // namespace spence::net::dave::mls
