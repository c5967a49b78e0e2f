// The ratchet tree against the MLS working group's tree-operations vectors (Add, Update and Remove
// applied to a tree give the expected tree and tree hashes; suite-independent, read as given) and
// tree-validation vectors for suite 2 (every node's resolution and tree hash, parent hashes and
// leaf signatures of trees with blanks, trailing blanks and unmerged leaves), plus the rules
// around them: adds fill the leftmost blank or double the tree, removes truncate, and malformed
// or forged trees are refused with the reason.

#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/ratchet_tree.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include "tests/dave/mls_vectors.hpp"

namespace spence::net::dave::mls {
namespace {

using test::error_in;
using test::from_hex;
using test::hex_field;
using test::to_hex;

std::uint32_t number_field(const boost::json::value& object, std::string_view key) {
  return static_cast<std::uint32_t>(object.at(key).to_number<std::uint64_t>());
}

// Applies a Proposal (RFC 9420 12.1: uint16 proposal_type, then Add's KeyPackage, Update's
// LeafNode or Remove's uint32) from `sender`. Framing proper is the group code's; the vector needs
// only the body.
mls_result<void> apply_proposal(ratchet_tree& tree, bytes_view proposal, leaf_index sender) {
  tls_reader in(proposal);
  const auto type = in.u16("proposal_type").value();
  switch (type) {
    case 1: {
      auto package = key_package::read(in);
      if (!package) return package.error();
      tree.add(package->leaf_node);
      break;
    }
    case 2: {
      auto leaf = leaf_node::read(in);
      if (!leaf) return leaf.error();
      if (auto r = tree.update(sender, *std::move(leaf)); !r) return r;
      break;
    }
    case 3: {
      auto removed = in.u32("removed");
      if (!removed) return removed.error();
      if (auto r = tree.remove(leaf_index{*removed}); !r) return r;
      break;
    }
    default: ADD_FAILURE() << "proposal type " << type;
  }
  return in.finish();
}

TEST(RatchetTree, MatchesTheTreeOperationsVectors) {
  const auto vectors = test::load_vectors("tree-operations.json");
  int ran = 0;
  for (const auto& vector : vectors.as_array()) {
    auto tree = decode<ratchet_tree>(hex_field(vector, "tree_before"));
    ASSERT_TRUE(tree) << tree.error().message();
    EXPECT_EQ(encode(*tree), hex_field(vector, "tree_before"));
    EXPECT_EQ(to_hex(tree->tree_hash()), vector.at("tree_hash_before").as_string());
    ASSERT_TRUE(apply_proposal(*tree, hex_field(vector, "proposal"), leaf_index{number_field(vector, "proposal_sender")}));
    EXPECT_EQ(to_hex(encode(*tree)), vector.at("tree_after").as_string()) << "vector " << ran;
    EXPECT_EQ(to_hex(tree->tree_hash()), vector.at("tree_hash_after").as_string()) << "vector " << ran;
    ++ran;
  }
  EXPECT_EQ(ran, 5);
  test::report_vectors("tree-operations.json (add, update, remove)", ran);
}

TEST(RatchetTree, MatchesTheTreeValidationVectors) {
  const auto vectors = test::load_vectors("tree-validation.json");
  int ran = 0;
  for (const auto& vector : vectors.as_array()) {
    ASSERT_EQ(number_field(vector, "cipher_suite"), 2u);
    const bytes encoded = hex_field(vector, "tree");
    auto tree = decode<ratchet_tree>(encoded);
    ASSERT_TRUE(tree) << tree.error().message();
    EXPECT_EQ(encode(*tree), encoded);
    const auto& resolutions = vector.at("resolutions").as_array();
    const auto& hashes = vector.at("tree_hashes").as_array();
    ASSERT_EQ(resolutions.size(), node_width(tree->leaf_count()));
    ASSERT_EQ(hashes.size(), resolutions.size());
    for (std::uint32_t i = 0; i < resolutions.size(); ++i) {
      std::vector<std::uint32_t> expected;
      for (const auto& node : resolutions[i].as_array()) expected.push_back(static_cast<std::uint32_t>(node.to_number<std::uint64_t>()));
      std::vector<std::uint32_t> actual;
      for (const auto node : tree->resolution(node_index{i})) actual.push_back(node.value);
      EXPECT_EQ(actual, expected) << "vector " << ran << ", node " << i;
      EXPECT_EQ(to_hex(tree->tree_hash(node_index{i})), hashes[i].as_string()) << "vector " << ran << ", node " << i;
    }
    const auto valid = tree->validate(hex_field(vector, "group_id"));
    EXPECT_TRUE(valid) << "vector " << ran << ": " << valid.error().message();
    ++ran;
  }
  EXPECT_EQ(ran, 14);
  test::report_vectors("tree-validation.json (suite 2: resolutions, tree hashes, parent hashes, leaf signatures)", ran);
}

// A tree of tree-validation.json, by its index (the file lists how each was made).
ratchet_tree validation_tree(std::size_t index) {
  const auto vectors = test::load_vectors("tree-validation.json");
  return decode<ratchet_tree>(hex_field(vectors.as_array().at(index), "tree")).value();
}

bytes validation_group_id(std::size_t index) {
  const auto vectors = test::load_vectors("tree-validation.json");
  return hex_field(vectors.as_array().at(index), "group_id");
}

leaf_node member(std::uint64_t user) { return create_key_package(user).value().package.leaf_node; }

TEST(RatchetTree, AddsAtTheLeftmostBlankLeafOrDoublesTheTree) {
  ratchet_tree tree(member(1));
  EXPECT_EQ(tree.leaf_count(), 1u);
  EXPECT_EQ(tree.add(member(2)), leaf_index{1});
  EXPECT_EQ(tree.leaf_count(), 2u);
  EXPECT_EQ(tree.add(member(3)), leaf_index{2});
  EXPECT_EQ(tree.leaf_count(), 4u);
  EXPECT_EQ(tree.add(member(4)), leaf_index{3});
  ASSERT_TRUE(tree.remove(leaf_index{1}));
  EXPECT_EQ(tree.leaf(leaf_index{1}), nullptr);
  EXPECT_EQ(tree.add(member(5)), leaf_index{1});
  EXPECT_EQ(tree.leaf(leaf_index{1})->credential.user_id(), 5u);
  EXPECT_EQ(tree.leaf_count(), 4u);
}

TEST(RatchetTree, RemovingTruncatesWhileTheRightHalfIsBlank) {
  ratchet_tree tree(member(1));
  for (std::uint64_t user = 2; user <= 5; ++user) tree.add(member(user));
  EXPECT_EQ(tree.leaf_count(), 8u);
  ASSERT_TRUE(tree.remove(leaf_index{4}));
  EXPECT_EQ(tree.leaf_count(), 4u);
  ASSERT_TRUE(tree.remove(leaf_index{2}));
  EXPECT_EQ(tree.leaf_count(), 4u);  // leaf 3 keeps the right half
  ASSERT_TRUE(tree.remove(leaf_index{3}));
  EXPECT_EQ(tree.leaf_count(), 2u);
  EXPECT_EQ(error_in(tree.remove(leaf_index{3})), make_mls_error(mls_errc::invalid_tree, "remove.removed"));
  ASSERT_TRUE(tree.remove(leaf_index{1}));
  EXPECT_EQ(tree.leaf_count(), 1u);
  // What a removal leaves written has no trailing blanks, and reads back to the same tree.
  EXPECT_EQ(decode<ratchet_tree>(encode(tree)).value(), tree);
}

TEST(RatchetTree, AnAddIsUnmergedAtTheNonBlankParentsAboveIt) {
  const std::size_t index = 5;  // get_tree(3): leaf 1's path set nodes 1 and 3; leaf 3 is blank
  ratchet_tree tree = validation_tree(index);
  ASSERT_EQ(tree.leaf_count(), 4u);
  ASSERT_NE(tree.parent(node_index{3}), nullptr);
  ASSERT_EQ(tree.parent(node_index{5}), nullptr);
  EXPECT_EQ(tree.add(member(9)), leaf_index{3});
  EXPECT_EQ(tree.parent(node_index{3})->unmerged_leaves, (std::vector<leaf_index>{{3}}));
  EXPECT_EQ(tree.resolution(node_index{3}), (std::vector<node_index>{{3}, {6}}));
  EXPECT_EQ(tree.resolution(node_index{5}), (std::vector<node_index>{{4}, {6}}));
  // The root's parent hash still chains: its original sibling tree hash leaves the new leaf out.
  EXPECT_TRUE(tree.verify_parent_hashes());
  EXPECT_EQ(tree.filtered_direct_path(leaf_index{3}), (std::vector<node_index>{{5}, {3}}));
  EXPECT_EQ(tree.filtered_direct_path(leaf_index{0}), (std::vector<node_index>{{1}, {3}}));
}

TEST(RatchetTree, RefusesMalformedTrees) {
  // No nodes, a blank last node, a parent where a leaf belongs, an undefined node type.
  EXPECT_EQ(error_in(decode<ratchet_tree>(from_hex("00"))), make_mls_error(mls_errc::invalid_tree, "ratchet_tree"));
  EXPECT_EQ(error_in(decode<ratchet_tree>(from_hex("0100"))), make_mls_error(mls_errc::invalid_tree, "ratchet_tree"));
  EXPECT_EQ(error_in(decode<ratchet_tree>(from_hex("0401024100"))).code, make_error_code(mls_errc::invalid_tree));
  EXPECT_EQ(error_in(decode<ratchet_tree>(from_hex("020103"))), make_mls_error(mls_errc::unknown_value, "ratchet_tree[0].node_type"));
  EXPECT_EQ(error_in(decode<ratchet_tree>(from_hex("020102"))).code, make_error_code(mls_errc::invalid_tree));
  // Every prefix of a real tree is refused, never read past.
  const bytes encoded = encode(validation_tree(2));
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    EXPECT_FALSE(decode<ratchet_tree>(bytes_view(encoded).first(size))) << size;
  }
}

TEST(RatchetTree, RefusesUnmergedLeavesOutOfOrderOutsideTheParentOrBlank) {
  const ratchet_tree tree = validation_tree(0);  // two members, the root set
  const parent_node root = *tree.parent(node_index{1});
  auto with_unmerged = [&](std::vector<leaf_index> unmerged) {
    // Encoded by hand: leaf 0, the root with the given list, leaf 1.
    tls_writer out;
    parent_node changed = root;
    changed.unmerged_leaves = std::move(unmerged);
    out.vector("ratchet_tree", [&](tls_writer& nodes) {
      nodes.present(true);
      nodes.u8(1);
      tree.leaf(leaf_index{0})->write(nodes);
      nodes.present(true);
      nodes.u8(2);
      changed.write(nodes);
      nodes.present(true);
      nodes.u8(1);
      tree.leaf(leaf_index{1})->write(nodes);
    });
    return decode<ratchet_tree>(std::move(out).finish().value());
  };
  EXPECT_TRUE(with_unmerged({{1}}));
  EXPECT_EQ(error_in(with_unmerged({{5}})), make_mls_error(mls_errc::invalid_tree, "ratchet_tree[1].unmerged_leaves"));
  EXPECT_EQ(error_in(with_unmerged({{1}, {0}})), make_mls_error(mls_errc::invalid_tree, "ratchet_tree[1].unmerged_leaves"));
  EXPECT_EQ(error_in(with_unmerged({{1}, {1}})), make_mls_error(mls_errc::invalid_tree, "ratchet_tree[1].unmerged_leaves"));
}

TEST(RatchetTree, ValidationRefusesForgedParentsAndLeaves) {
  const std::size_t index = 3;  // get_tree(32): every parent set by some path
  const bytes group_id = validation_group_id(index);
  const ratchet_tree tree = validation_tree(index);
  ASSERT_TRUE(tree.validate(group_id));
  // The tree bound to another group: the commit leaves' signatures fail.
  EXPECT_EQ(error_in(tree.validate(bytes{1})).code, make_error_code(mls_errc::bad_signature));
  // A parent node's key replaced (as an insider planting a key it knows would): its parent hash
  // no longer chains.
  bytes encoded = encode(tree);
  const bytes& key = *tree.encryption_key(node_index{5});
  const auto at = std::search(encoded.begin(), encoded.end(), key.begin(), key.end());
  ASSERT_NE(at, encoded.end());
  *(at + 10) ^= 1;
  const auto forged = decode<ratchet_tree>(encoded).value();
  EXPECT_EQ(error_in(forged.validate(group_id)).code, make_error_code(mls_errc::bad_parent_hash));
  EXPECT_EQ(error_in(forged.verify_parent_hashes()).code, make_error_code(mls_errc::bad_parent_hash));
}

}  // namespace
}  // namespace spence::net::dave::mls
