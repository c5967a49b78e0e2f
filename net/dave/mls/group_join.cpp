// Joining from a Welcome (RFC 9420 12.4.3.1), and the Welcome a committer makes for its joiners:
// the two ends of how a new member comes to hold the epoch's tree and secrets.

#include "net/dave/mls/group.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/transcript_hash.hpp"
#include "net/dave/mls/treekem.hpp"
#include "net/dave/mls/wipe.hpp"

#include <algorithm>

namespace spence::net::dave::mls {
namespace {

mls_result<ratchet_tree> tree_of(const group_info& info, const ratchet_tree* given_tree) {
  for (const auto& each : info.extensions) {
    if (each.extension_type == extension_type_ratchet_tree) return decode<ratchet_tree>(each.extension_data);
  }
  if (given_tree) return *given_tree;
  return make_mls_error(mls_errc::invalid_welcome, "group_info.extensions.ratchet_tree");
}

}  // namespace

mls_result<group> group::join(const welcome& message, const key_package& own,
                              const key_package_private_keys& own_private_keys, const ratchet_tree* given_tree) {
  auto opened = open_welcome(message, own, own_private_keys.init_key);
  if (!opened) return opened.error();
  const group_info& info = opened->info;
  const group_context& context = info.group_context;
  if (context.version != protocol_version_mls10 || context.cipher_suite != cipher_suite_dave) {
    return make_mls_error(mls_errc::unsupported, "group_info.group_context.cipher_suite");
  }

  auto tree = tree_of(info, given_tree);
  if (!tree) return tree.error();
  if (auto valid = tree->validate(context.group_id); !valid) return valid.error();
  if (tree->tree_hash() != context.tree_hash) {
    return make_mls_error(mls_errc::invalid_welcome, "group_info.group_context.tree_hash");
  }
  const leaf_node* signer = tree->leaf(leaf_index{info.signer});
  if (!signer) return make_mls_error(mls_errc::invalid_welcome, "group_info.signer");
  if (auto verified = info.verify(signer->signature_key); !verified) return verified.error();

  leaf_index own_leaf{0};
  while (tree->contains(own_leaf) && !(tree->leaf(own_leaf) && *tree->leaf(own_leaf) == own.leaf_node)) ++own_leaf.value;
  if (!tree->contains(own_leaf)) return make_mls_error(mls_errc::invalid_welcome, "ratchet_tree (no leaf of ours)");
  tree_private_state own_state(own_leaf, own_private_keys.encryption_key);
  if (auto& path_secret = opened->secrets.path_secret) {
    // The path secret is the committer's at the lowest node above both of us; the rest of our
    // path above it follows from it.
    const auto path = tree->filtered_direct_path(own_leaf);
    const auto shared = std::ranges::find(path, common_ancestor(node_of(own_leaf), node_of(leaf_index{info.signer})));
    if (shared == path.end()) return make_mls_error(mls_errc::invalid_welcome, "group_secrets.path_secret");
    auto commit_secret = own_state.implant(*tree, std::span(shared, path.end()), *path_secret);
    wipe(*path_secret);
    if (!commit_secret) return commit_secret.error();
    wipe(*commit_secret);
  }

  auto schedule = key_schedule::from_joiner_secret(opened->secrets.joiner_secret, zero_secret(), encode(context));
  wipe(opened->secrets.joiner_secret);
  if (!schedule) return schedule.error();
  if (!mac_equal(schedule->confirmation_tag(context.confirmed_transcript_hash), info.confirmation_tag)) {
    return make_mls_error(mls_errc::bad_tag, "group_info.confirmation_tag");
  }
  bytes interim = interim_transcript_hash(context.confirmed_transcript_hash, info.confirmation_tag);
  return group(context, *std::move(tree), std::move(own_state), own_private_keys.signature_key, *std::move(schedule),
               std::move(interim));
}

mls_result<welcome> group::welcome_joiners(bytes_view confirmation_tag, std::span<const leaf_index> joiners,
                                           std::span<const key_package* const> packages,
                                           const path_secrets* secrets) const {
  group_info info;
  info.group_context = context_;
  info.extensions = {{extension_type_ratchet_tree, encode(tree_)}};
  info.confirmation_tag.assign(confirmation_tag.begin(), confirmation_tag.end());
  info.signer = own_leaf().value;
  if (auto r = info.sign(signature_private_key_); !r) return r.error();

  std::vector<welcome_joiner> recipients;
  for (std::size_t i = 0; i < joiners.size(); ++i) {
    welcome_joiner recipient{packages[i], std::nullopt};
    if (secrets) {
      const auto shared = common_ancestor(node_of(own_leaf()), node_of(joiners[i]));
      const auto found = std::ranges::find_if(secrets->by_node, [&](const auto& entry) { return entry.first == shared; });
      if (found == secrets->by_node.end()) return make_mls_error(mls_errc::invalid_update_path, "path secret for a joiner");
      recipient.path_secret = found->second;
    }
    recipients.push_back(std::move(recipient));
  }
  auto sealed = seal_welcome(info, schedule_.joiner_secret(), schedule_.welcome_secret(), recipients);
  for (auto& recipient : recipients) {
    if (recipient.path_secret) wipe(*recipient.path_secret);
  }
  return sealed;
}

}  // namespace spence::net::dave::mls
