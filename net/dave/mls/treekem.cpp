#include "net/dave/mls/treekem.hpp"

#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/kdf.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/wipe.hpp"

#include <algorithm>
#include <string>
#include <string_view>

namespace spence::net::dave::mls {
namespace {

constexpr std::string_view path_secret_label = "UpdatePathNode";

// Who a path secret for `node` on the committer's path is encrypted to: the resolution of the
// node's copath child, without the leaves the commit adds.
std::vector<node_index> recipients(const ratchet_tree& tree, node_index node, leaf_index committer,
                                   std::span<const leaf_index> joiners) {
  auto nodes = tree.resolution(ratchet_tree::copath_child(node, committer));
  std::erase_if(nodes, [&](node_index at) {
    const auto leaf = leaf_of(at);
    return leaf && std::find(joiners.begin(), joiners.end(), *leaf) != joiners.end();
  });
  return nodes;
}

std::string path_node_field(std::size_t i, std::string_view what) {
  return "update_path.nodes[" + std::to_string(i) + "]" + std::string(what);
}

// RFC 9420 12.4.2: the committer's new keys must all be new to the tree, and its signature key
// must not be another member's.
mls_result<void> check_keys_are_new(const ratchet_tree& tree, leaf_index sender, const update_path& path) {
  for (std::uint32_t i = 0; i < node_width(tree.leaf_count()); ++i) {
    const bytes* key = tree.encryption_key(node_index{i});
    if (key == nullptr) continue;
    if (*key == path.leaf_node.encryption_key) {
      return make_mls_error(mls_errc::invalid_update_path, "update_path.leaf_node.encryption_key");
    }
    for (std::size_t k = 0; k < path.nodes.size(); ++k) {
      if (*key == path.nodes[k].encryption_key) return make_mls_error(mls_errc::invalid_update_path, path_node_field(k, ".encryption_key"));
    }
  }
  for (leaf_index other{0}; tree.contains(other); ++other.value) {
    const auto* member = tree.leaf(other);
    if (other != sender && member != nullptr && member->signature_key == path.leaf_node.signature_key) {
      return make_mls_error(mls_errc::invalid_leaf_node, "update_path.leaf_node.signature_key");
    }
  }
  return {};
}

}  // namespace

path_secrets::~path_secrets() {
  for (auto& [node, secret] : by_node) wipe(secret);
  wipe(commit_secret);
}

mls_result<created_update_path> create_update_path(ratchet_tree& tree, tree_private_state& own,
                                                   bytes_view signature_private_key, group_context provisional,
                                                   std::span<const leaf_index> joiners) {
  const leaf_index self = own.own_leaf();
  const auto* current = tree.leaf(self);
  if (current == nullptr) return make_mls_error(mls_errc::invalid_update_path, "own leaf");
  const auto path_nodes = tree.filtered_direct_path(self);

  // The leaf secret gives the leaf's key pair and the first path secret (7.4).
  bytes leaf_secret = random_secret();
  bytes leaf_node_secret = derive_secret(leaf_secret, "node");
  auto leaf_pair = derive_key_pair(leaf_node_secret);
  wipe(leaf_node_secret);
  bytes secret = derive_secret(leaf_secret, "path");
  wipe(leaf_secret);
  if (!leaf_pair) return leaf_pair.error();

  tree_private_state next_own(self, std::move(leaf_pair->private_key));
  path_secrets secrets;
  std::vector<bytes> public_keys;
  for (const auto node : path_nodes) {
    auto public_key = next_own.set_path_secret(node, secret);
    if (!public_key) return public_key.error();
    public_keys.push_back(*std::move(public_key));
    bytes next = derive_secret(secret, "path");
    secrets.by_node.emplace_back(node, std::move(secret));
    secret = std::move(next);
  }
  secrets.commit_secret = std::move(secret);

  ratchet_tree next_tree = tree;
  auto parent_hash = next_tree.merge_path_keys(self, public_keys);
  if (!parent_hash) return parent_hash.error();
  leaf_node leaf = *current;
  leaf.encryption_key = std::move(leaf_pair->public_key);
  leaf.source = leaf_node_source::commit;
  leaf.lifetime = {};
  leaf.parent_hash = *std::move(parent_hash);
  if (auto r = leaf.sign(signature_private_key, {provisional.group_id, self}); !r) return r.error();
  if (auto r = next_tree.replace_leaf(self, leaf); !r) return r.error();

  provisional.tree_hash = next_tree.tree_hash();
  const bytes context = encode(provisional);
  update_path path{std::move(leaf), {}};
  for (std::size_t i = 0; i < path_nodes.size(); ++i) {
    update_path_node node{public_keys[i], {}};
    for (const auto recipient : recipients(next_tree, path_nodes[i], self, joiners)) {
      auto ciphertext = encrypt_with_label(*next_tree.encryption_key(recipient), path_secret_label, context,
                                           secrets.by_node[i].second);
      if (!ciphertext) return mls_error{ciphertext.error().code, path_node_field(i, ".encrypted_path_secret")};
      node.encrypted_path_secret.push_back(*std::move(ciphertext));
    }
    path.nodes.push_back(std::move(node));
  }
  tree = std::move(next_tree);
  own = std::move(next_own);
  return created_update_path{std::move(path), std::move(provisional), std::move(secrets)};
}

mls_result<applied_update_path> apply_update_path(ratchet_tree& tree, tree_private_state& own, leaf_index sender,
                                                  const update_path& path, group_context provisional,
                                                  std::span<const leaf_index> joiners) {
  const leaf_index self = own.own_leaf();
  const auto* old_leaf = tree.leaf(sender);
  if (old_leaf == nullptr || sender == self) return make_mls_error(mls_errc::invalid_update_path, "sender");
  if (tree.leaf(self) == nullptr) return make_mls_error(mls_errc::invalid_update_path, "own leaf");
  const auto& leaf = path.leaf_node;
  if (leaf.source != leaf_node_source::commit) {
    return make_mls_error(mls_errc::invalid_leaf_node, "update_path.leaf_node.leaf_node_source");
  }
  if (auto r = leaf.validate({provisional.group_id, sender}); !r) return r.error();
  if (auto r = check_keys_are_new(tree, sender, path); !r) return r.error();

  ratchet_tree next_tree = tree;
  std::vector<bytes> public_keys;
  for (const auto& node : path.nodes) public_keys.push_back(node.encryption_key);
  auto parent_hash = next_tree.merge_path_keys(sender, public_keys);
  if (!parent_hash) return parent_hash.error();
  if (*parent_hash != leaf.parent_hash) return make_mls_error(mls_errc::bad_parent_hash, "update_path.leaf_node.parent_hash");
  if (auto r = next_tree.replace_leaf(sender, leaf); !r) return r.error();
  provisional.tree_hash = next_tree.tree_hash();
  const bytes context = encode(provisional);

  // The lowest node of the committer's path above this member: its path secret was encrypted to
  // a node below it that this member holds the key of.
  const auto path_nodes = next_tree.filtered_direct_path(sender);
  const auto above = std::find_if(path_nodes.begin(), path_nodes.end(),
                                  [&](node_index node) { return common_ancestor(node_of(self), node) == node; });
  if (above == path_nodes.end()) return make_mls_error(mls_errc::invalid_update_path, "own leaf");
  const auto i = static_cast<std::size_t>(above - path_nodes.begin());
  const auto to = recipients(next_tree, *above, sender, joiners);
  const auto& ciphertexts = path.nodes[i].encrypted_path_secret;
  if (ciphertexts.size() != to.size()) return make_mls_error(mls_errc::invalid_update_path, path_node_field(i, ".encrypted_path_secret"));
  const auto held = std::find_if(to.begin(), to.end(), [&](node_index node) { return own.private_key(node) != nullptr; });
  if (held == to.end()) return make_mls_error(mls_errc::invalid_update_path, path_node_field(i, " (no key of ours)"));
  auto secret = decrypt_with_label(*own.private_key(*held), path_secret_label, context,
                                   ciphertexts[static_cast<std::size_t>(held - to.begin())]);
  if (!secret) return mls_error{secret.error().code, path_node_field(i, ".encrypted_path_secret")};

  tree_private_state next_own = own;
  const auto replaced = direct_path(node_of(sender), next_tree.leaf_count());
  next_own.forget(replaced);
  applied_update_path applied{std::move(provisional), {}};
  applied.secrets.by_node.emplace_back(*above, *secret);
  auto commit_secret = next_own.implant(next_tree, std::span(path_nodes).subspan(i), *std::move(secret));
  if (!commit_secret) return commit_secret.error();
  applied.secrets.commit_secret = *std::move(commit_secret);
  tree = std::move(next_tree);
  own = std::move(next_own);
  return applied;
}

}  // namespace spence::net::dave::mls
