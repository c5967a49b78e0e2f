// TreeKEM against the MLS working group's treekem vectors (suite 2): each member's private state
// from the vector matches the tree; each UpdatePath, applied by every other member, gives that
// member's expected path secret and the commit secret, a tree with the expected hash whose parent
// hashes all chain; and an UpdatePath made here from the same tree reaches every other member with
// one commit secret. Then the refusals: a tampered leaf, path, key or ciphertext count.

#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/treekem.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <map>

namespace spence::net::dave::mls {
namespace {

using test::error_in;
using test::hex_field;
using test::to_hex;

std::uint32_t number_field(const boost::json::value& object, std::string_view key) {
  return static_cast<std::uint32_t>(object.at(key).to_number<std::uint64_t>());
}

struct vector_member {
  tree_private_state state;
  bytes signature_private_key;
};

std::map<std::uint32_t, vector_member> private_states(const boost::json::value& vector, const ratchet_tree& tree) {
  std::map<std::uint32_t, vector_member> members;
  for (const auto& entry : vector.at("leaves_private").as_array()) {
    const leaf_index own{number_field(entry, "index")};
    tree_private_state state(own, hex_field(entry, "encryption_priv"));
    for (const auto& secret : entry.at("path_secrets").as_array()) {
      EXPECT_TRUE(state.set_path_secret(node_index{number_field(secret, "node")}, hex_field(secret, "path_secret")));
    }
    const auto consistent = state.check_against(tree);
    EXPECT_TRUE(consistent) << "leaf " << own.value << ": " << consistent.error().message();
    members.emplace(own.value, vector_member{std::move(state), hex_field(entry, "signature_priv")});
  }
  return members;
}

group_context context_of(const boost::json::value& vector) {
  group_context context;
  context.cipher_suite = static_cast<std::uint16_t>(number_field(vector, "cipher_suite"));
  context.group_id = hex_field(vector, "group_id");
  context.epoch = vector.at("epoch").to_number<std::uint64_t>();
  context.confirmed_transcript_hash = hex_field(vector, "confirmed_transcript_hash");
  return context;
}

TEST(TreeKem, MatchesTheTreekemVectors) {
  const auto vectors = test::load_vectors("treekem.json");
  int ran = 0;
  int paths = 0;
  for (const auto& vector : vectors.as_array()) {
    ASSERT_EQ(number_field(vector, "cipher_suite"), 2u);
    const auto tree = decode<ratchet_tree>(hex_field(vector, "ratchet_tree")).value();
    const auto members = private_states(vector, tree);
    const group_context context = context_of(vector);
    for (const auto& entry : vector.at("update_paths").as_array()) {
      const leaf_index sender{number_field(entry, "sender")};
      const auto path = decode<update_path>(hex_field(entry, "update_path"));
      ASSERT_TRUE(path) << path.error().message();
      const auto& expected_secrets = entry.at("path_secrets").as_array();
      for (const auto& [index, member] : members) {
        if (index == sender.value) continue;
        ratchet_tree merged = tree;
        tree_private_state state = member.state;
        const auto applied = apply_update_path(merged, state, sender, *path, context, {});
        ASSERT_TRUE(applied) << "vector " << ran << ", sender " << sender.value << ", member " << index << ": "
                             << applied.error().message();
        EXPECT_EQ(to_hex(applied->secrets.by_node.at(0).second), expected_secrets.at(index).as_string());
        EXPECT_EQ(to_hex(applied->secrets.commit_secret), entry.at("commit_secret").as_string());
        EXPECT_EQ(to_hex(merged.tree_hash()), entry.at("tree_hash_after").as_string());
        EXPECT_EQ(applied->provisional_context.tree_hash, merged.tree_hash());
        EXPECT_TRUE(merged.verify_parent_hashes());
        EXPECT_TRUE(state.check_against(merged));
      }
      // A path made here from the same tree by the same sender reaches every other member.
      ratchet_tree committed = tree;
      tree_private_state sender_state = members.at(sender.value).state;
      const auto created = create_update_path(committed, sender_state, members.at(sender.value).signature_private_key,
                                              context, {});
      ASSERT_TRUE(created) << created.error().message();
      EXPECT_TRUE(committed.verify_parent_hashes());
      EXPECT_TRUE(sender_state.check_against(committed));
      EXPECT_EQ(created->provisional_context.tree_hash, committed.tree_hash());
      for (const auto& [index, member] : members) {
        if (index == sender.value) continue;
        ratchet_tree merged = tree;
        tree_private_state state = member.state;
        const auto applied = apply_update_path(merged, state, sender, created->path, context, {});
        ASSERT_TRUE(applied) << "own path, member " << index << ": " << applied.error().message();
        EXPECT_EQ(applied->secrets.commit_secret, created->secrets.commit_secret);
        EXPECT_EQ(merged, committed);
      }
      ++paths;
    }
    ++ran;
  }
  EXPECT_EQ(ran, 11);
  test::report_vectors("treekem.json (suite 2; " + std::to_string(paths) + " UpdatePaths applied by every member, and re-made)", ran);
}

// A group of `size` members built here by adds (no paths yet), with each member's leaf key.
struct small_group {
  ratchet_tree tree;
  std::vector<created_key_package> members;
  std::vector<tree_private_state> states;
  group_context context;
};

small_group make_group(int size) {
  std::vector<created_key_package> members;
  for (int i = 0; i < size; ++i) members.push_back(create_key_package(static_cast<std::uint64_t>(i + 1)).value());
  small_group group{ratchet_tree(members[0].package.leaf_node), std::move(members), {}, {}};
  for (int i = 1; i < size; ++i) group.tree.add(group.members[i].package.leaf_node);
  for (int i = 0; i < size; ++i) {
    group.states.emplace_back(leaf_index{static_cast<std::uint32_t>(i)}, group.members[i].private_keys.encryption_key);
  }
  group.context.group_id = {0x0c, 0xde, 0x77, 0xea, 0xdc, 0x82, 0x30, 0x33};
  group.context.epoch = 1;
  return group;
}

TEST(TreeKem, JoinersGetNoCiphertextAndEveryoneElseTheCommitSecret) {
  auto group = make_group(3);
  ratchet_tree before = group.tree;
  const std::vector<leaf_index> joiners{{2}};
  const auto created =
      create_update_path(group.tree, group.states[0], group.members[0].private_keys.signature_key, group.context, joiners);
  ASSERT_TRUE(created) << created.error().message();
  // Leaf 0's filtered direct path: node 1 (for leaf 1) and the root 3 (for leaf 2, a joiner: no
  // ciphertext).
  ASSERT_EQ(created->path.nodes.size(), 2u);
  EXPECT_EQ(created->path.nodes[0].encrypted_path_secret.size(), 1u);
  EXPECT_TRUE(created->path.nodes[1].encrypted_path_secret.empty());
  EXPECT_EQ(created->secrets.by_node.size(), 2u);
  EXPECT_EQ(created->path.leaf_node.source, leaf_node_source::commit);
  EXPECT_TRUE(created->path.leaf_node.validate({group.context.group_id, leaf_index{0}}));
  ratchet_tree merged = before;
  const auto applied = apply_update_path(merged, group.states[1], leaf_index{0}, created->path, group.context, joiners);
  ASSERT_TRUE(applied) << applied.error().message();
  EXPECT_EQ(applied->secrets.commit_secret, created->secrets.commit_secret);
  EXPECT_EQ(merged, group.tree);
  EXPECT_EQ(decode<update_path>(encode(created->path)).value(), created->path);
}

TEST(TreeKem, RefusesTamperedPathsAndLeavesTheTreeAsItWas) {
  auto group = make_group(4);
  const ratchet_tree before = group.tree;
  const auto created =
      create_update_path(group.tree, group.states[0], group.members[0].private_keys.signature_key, group.context, {});
  ASSERT_TRUE(created);
  auto refused = [&](const update_path& path, leaf_index sender = leaf_index{0}) {
    ratchet_tree tree = before;
    tree_private_state state = group.states[3];
    auto result = apply_update_path(tree, state, sender, path, group.context, {});
    EXPECT_EQ(tree, before);  // unchanged on refusal
    return result ? mls_error{} : result.error();
  };
  update_path path = created->path;
  path.nodes[0].encryption_key = group.members[2].package.leaf_node.encryption_key;  // a key already in the tree
  EXPECT_EQ(refused(path).code, make_error_code(mls_errc::invalid_update_path));
  path = created->path;
  path.nodes[1].encryption_key = generate_key_pair().public_key;  // not what the path secret gives
  EXPECT_EQ(refused(path).code, make_error_code(mls_errc::bad_parent_hash));
  path = created->path;
  path.nodes.pop_back();
  EXPECT_EQ(refused(path), make_mls_error(mls_errc::invalid_update_path, "update_path.nodes"));
  path = created->path;
  path.nodes[1].encrypted_path_secret.pop_back();
  EXPECT_EQ(refused(path), make_mls_error(mls_errc::invalid_update_path, "update_path.nodes[1].encrypted_path_secret"));
  path = created->path;
  path.nodes[1].encrypted_path_secret[1].ciphertext.back() ^= 1;  // the one to leaf 3 (the other is leaf 2's)
  EXPECT_EQ(refused(path).code, make_error_code(mls_errc::decrypt_failed));
  path = created->path;
  path.leaf_node.credential = basic_credential::for_user(99);  // the signature no longer covers it
  EXPECT_EQ(refused(path).code, make_error_code(mls_errc::bad_signature));
  // The same path claimed by another sender: the leaf's signature binds its index.
  EXPECT_EQ(refused(created->path, leaf_index{1}).code, make_error_code(mls_errc::bad_signature));
}

TEST(TreeKem, APathSecretGivingOtherKeysIsRefused) {
  // A path whose public keys chain (parent hashes recomputed and the leaf re-signed by the
  // committer) but are not the ones its encrypted secret gives.
  auto group = make_group(2);
  const ratchet_tree before = group.tree;
  auto created =
      create_update_path(group.tree, group.states[0], group.members[0].private_keys.signature_key, group.context, {});
  ASSERT_TRUE(created);
  ratchet_tree forged_tree = before;
  const bytes other_key = generate_key_pair().public_key;
  const bytes parent_hash = forged_tree.merge_path_keys(leaf_index{0}, std::vector<bytes>{other_key}).value();
  update_path path = created->path;
  path.nodes[0].encryption_key = other_key;
  path.leaf_node.parent_hash = parent_hash;
  ASSERT_TRUE(path.leaf_node.sign(group.members[0].private_keys.signature_key, {group.context.group_id, leaf_index{0}}));
  // The ciphertext was made under the old provisional context; re-encrypt the real path secret
  // under the forged tree's so only the key mismatch remains.
  ASSERT_TRUE(forged_tree.replace_leaf(leaf_index{0}, path.leaf_node));
  group_context context = group.context;
  context.tree_hash = forged_tree.tree_hash();
  path.nodes[0].encrypted_path_secret = {encrypt_with_label(group.members[1].package.leaf_node.encryption_key,
                                                            "UpdatePathNode", encode(context),
                                                            created->secrets.by_node[0].second)
                                             .value()};
  ratchet_tree tree = before;
  tree_private_state state = group.states[1];
  EXPECT_EQ(error_in(apply_update_path(tree, state, leaf_index{0}, path, group.context, {})),
            make_mls_error(mls_errc::invalid_update_path, "public key of node 1"));
  EXPECT_EQ(tree, before);
}

TEST(TreeKem, UpdatePathsAndGroupContextsReadCanonicallyAndRefuseTruncation) {
  const auto vectors = test::load_vectors("treekem.json");
  const bytes encoded = hex_field(vectors.as_array().at(0).at("update_paths").as_array().at(0), "update_path");
  EXPECT_EQ(encode(decode<update_path>(encoded).value()), encoded);
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    const auto result = decode<update_path>(bytes_view(encoded).first(size));
    ASSERT_FALSE(result) << size;
    EXPECT_EQ(result.error().code, make_error_code(mls_errc::truncated)) << size;
  }
  // The key schedule vectors' GroupContexts (suite 2) read and write back exactly.
  const auto schedules = test::load_vectors("key-schedule.json");
  int contexts = 0;
  for (const auto& schedule : schedules.as_array()) {
    for (const auto& epoch : schedule.at("epochs").as_array()) {
      const bytes context = hex_field(epoch, "group_context");
      const auto read = decode<group_context>(context);
      ASSERT_TRUE(read) << read.error().message();
      EXPECT_EQ(read->cipher_suite, 2);
      EXPECT_EQ(encode(*read), context);
      ++contexts;
    }
  }
  EXPECT_GT(contexts, 0);
  test::report_vectors("key-schedule.json group_context (read and written back)", contexts);
}

}  // namespace
}  // namespace spence::net::dave::mls
