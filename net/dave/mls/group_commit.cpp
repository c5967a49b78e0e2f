// Committing and applying commits (RFC 9420 12.2-12.4): the two sides of starting an epoch, which
// must apply the same proposals the same way to reach the same tree and secrets.

#include "net/dave/mls/group.hpp"

#include "net/dave/mls/commit.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/treekem.hpp"
#include "net/dave/mls/wipe.hpp"

#include <algorithm>

namespace spence::net::dave::mls {
namespace {

struct proposals_applied {
  ratchet_tree tree;
  std::vector<leaf_index> removed;
  std::vector<leaf_index> joiners;               // where each Add put its member, in commit order
  std::vector<const key_package*> joiner_packages;  // and with which key package
  bool path_required = false;
};

bool holds_key_of(const ratchet_tree& tree, const leaf_node& candidate) {
  for (leaf_index at{0}; tree.contains(at); ++at.value) {
    const leaf_node* member = tree.leaf(at);
    if (member && (member->signature_key == candidate.signature_key ||
                   member->encryption_key == candidate.encryption_key)) {
      return true;
    }
  }
  return false;
}

// RFC 9420 12.3's order: Removes, then Adds, each in the order the commit lists them. A commit
// needs an UpdatePath when it removes anyone or applies nothing (12.4; DAVE proposes no Updates).
mls_result<proposals_applied> apply_proposals(const ratchet_tree& tree, std::span<const proposal* const> proposals,
                                              leaf_index committer) {
  proposals_applied applied{tree, {}, {}, {}, proposals.empty()};
  for (const proposal* each : proposals) {
    const remove_proposal* remove = each->remove();
    if (!remove) continue;
    const leaf_index leaf{remove->removed};
    if (leaf == committer || std::ranges::find(applied.removed, leaf) != applied.removed.end() ||
        !applied.tree.leaf(leaf)) {
      return make_mls_error(mls_errc::invalid_proposal, "remove.removed");
    }
    applied.tree.remove(leaf).value();  // the leaf was just checked to be there
    applied.removed.push_back(leaf);
    applied.path_required = true;
  }
  for (const proposal* each : proposals) {
    const add_proposal* add = each->add();
    if (!add) continue;
    if (auto valid = add->key_package.validate(); !valid) return valid.error();
    if (holds_key_of(applied.tree, add->key_package.leaf_node)) {
      return make_mls_error(mls_errc::invalid_proposal, "add.key_package.leaf_node");
    }
    applied.joiners.push_back(applied.tree.add(add->key_package.leaf_node));
    applied.joiner_packages.push_back(&add->key_package);
  }
  return applied;
}

}  // namespace

mls_result<created_commit> group::commit() const {
  std::vector<const proposal*> proposals;
  mls::commit content;
  for (const auto& queued : queued_) {
    proposals.push_back(&queued.proposal);
    content.proposals.push_back({queued.ref});
  }
  auto applied = apply_proposals(tree_, proposals, own_leaf());
  if (!applied) return applied.error();

  group next = *this;
  next.tree_ = std::move(applied->tree);
  group_context provisional = context_;
  ++provisional.epoch;
  bytes commit_secret = zero_secret();
  std::optional<path_secrets> secrets;
  if (applied->path_required) {
    auto created = create_update_path(next.tree_, next.own_, signature_private_key_, provisional, applied->joiners);
    if (!created) return created.error();
    provisional = created->provisional_context;
    content.path = std::move(created->path);
    commit_secret = created->secrets.commit_secret;
    secrets.emplace(std::move(created->secrets));
  } else {
    provisional.tree_hash = next.tree_.tree_hash();
  }

  public_message message;
  message.content.group_id = context_.group_id;
  message.content.epoch = context_.epoch;
  message.content.sender = {sender_type::member, own_leaf().value};
  message.content.content = std::move(content);
  if (auto r = message.sign(signature_private_key_, context_); !r) return r.error();
  message.confirmation_tag = enter_next_epoch(next, std::move(provisional), message, commit_secret);
  wipe(commit_secret);
  message.membership_tag = schedule_.membership_tag(message.to_be_maced(context_));

  std::optional<mls::welcome> welcome;
  if (!applied->joiners.empty()) {
    auto made = next.welcome_joiners(*message.confirmation_tag, applied->joiners, applied->joiner_packages,
                                     secrets ? &*secrets : nullptr);
    if (!made) return made.error();
    welcome = *std::move(made);
  }
  return created_commit{std::move(message), std::move(welcome), std::move(next)};
}

mls_result<applied_commit> group::apply_commit(const public_message& message) const {
  const mls::commit* content = message.content.commit_content();
  if (!content) return make_mls_error(mls_errc::invalid_commit, "framed_content.content_type");
  if (message.content.sender.type != sender_type::member) return make_mls_error(mls_errc::invalid_commit, "sender.sender_type");
  const leaf_index committer{message.content.sender.index};
  // A member cannot apply its own commit (it lacks the path secrets it encrypted to others); it
  // keeps the group commit() returned instead.
  if (committer == own_leaf()) return make_mls_error(mls_errc::invalid_commit, "sender.index");
  if (auto r = verify_sender(message); !r) return r.error();
  if (!message.confirmation_tag) return make_mls_error(mls_errc::bad_tag, "public_message.confirmation_tag");

  std::vector<const proposal*> proposals;
  std::vector<bytes_view> refs;
  for (const auto& each : content->proposals) {
    const bytes* ref = each.reference();
    if (!ref) {
      proposals.push_back(&std::get<proposal>(each.content));
      continue;
    }
    if (std::ranges::any_of(refs, [&](bytes_view seen) { return std::ranges::equal(seen, *ref); })) {
      return make_mls_error(mls_errc::invalid_commit, "commit.proposals");
    }
    refs.push_back(*ref);
    const auto queued = std::ranges::find_if(queued_, [&](const auto& q) { return q.ref == *ref; });
    if (queued == queued_.end()) return make_mls_error(mls_errc::unknown_proposal, "commit.proposals");
    proposals.push_back(&queued->proposal);
  }
  auto applied = apply_proposals(tree_, proposals, committer);
  if (!applied) return applied.error();
  if (applied->path_required && !content->path) return make_mls_error(mls_errc::invalid_commit, "commit.path");
  if (std::ranges::find(applied->removed, own_leaf()) != applied->removed.end()) return applied_commit{std::nullopt};

  group next = *this;
  next.tree_ = std::move(applied->tree);
  // Removes blank nodes on this member's path (or cut them off the tree): their keys go.
  std::vector<node_index> blanked;
  for (const auto node : direct_path(node_of(own_leaf()), tree_.leaf_count())) {
    if (!next.tree_.parent(node)) blanked.push_back(node);
  }
  next.own_.forget(blanked);

  group_context provisional = context_;
  ++provisional.epoch;
  bytes commit_secret = zero_secret();
  if (content->path) {
    auto path = apply_update_path(next.tree_, next.own_, committer, *content->path, provisional, applied->joiners);
    if (!path) return path.error();
    provisional = path->provisional_context;
    commit_secret = path->secrets.commit_secret;
  } else {
    provisional.tree_hash = next.tree_.tree_hash();
  }
  const bytes tag = enter_next_epoch(next, std::move(provisional), message, commit_secret);
  wipe(commit_secret);
  if (!mac_equal(tag, *message.confirmation_tag)) return make_mls_error(mls_errc::bad_tag, "public_message.confirmation_tag");
  return applied_commit{std::move(next)};
}

}  // namespace spence::net::dave::mls
