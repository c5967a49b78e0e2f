#pragma once
// An MLS group as one member holds it (RFC 9420 8, 11, 12): the epoch's GroupContext, the public
// ratchet tree, the member's private tree keys and signature key, the epoch's key schedule and
// interim transcript hash, and the proposals received this epoch that a commit has yet to apply.
//
// A group is a value. What starts a new epoch (committing, applying another member's commit)
// returns the next epoch's group and leaves this one as it was: a refused commit changes nothing,
// and a DAVE member keeps its own commit's outcome aside until the voice gateway says (op 29)
// whether that commit or another won the epoch.
//
// This is MLS, not DAVE's policy: the session decides which proposals it accepts (recognized
// users), refuses inline proposals in commits and duplicate user IDs in the roster.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/framed_content.hpp"
#include "net/dave/mls/group_context.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/dave/mls/public_message.hpp"
#include "net/dave/mls/ratchet_tree.hpp"
#include "net/dave/mls/tree_private_state.hpp"
#include "net/dave/mls/welcome.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace spence::net::dave::mls {

// A proposal received this epoch, by the ref a commit names it with.
struct queued_proposal {
  bytes ref;
  mls::proposal proposal;
  mls::sender sender;
};

struct created_commit;
struct applied_commit;
struct path_secrets;

class group {
 public:
  // A new one-member group at epoch 0 (RFC 9420 11): the creator's leaf (a DAVE member uses the
  // leaf of the key package it sent) with its HPKE and signature private keys, and the group's
  // extensions (DAVE: external_senders).
  static mls_result<group> create(bytes group_id, leaf_node own_leaf, bytes encryption_private_key,
                                  bytes signature_private_key, extension_list extensions);

  // Joins from a Welcome meant for `own` (RFC 9420 12.4.3.1): opens the group secrets with the
  // key package's init key, checks the GroupInfo's signature, the ratchet tree it carries and the
  // confirmation tag, and takes the joiner's place in the tree.
  // `given_tree` is for a Welcome whose GroupInfo does not carry the tree (never in DAVE, whose
  // committers always include it; the MLS working group's vectors do it).
  static mls_result<group> join(const welcome& message, const key_package& own,
                                const key_package_private_keys& own_private_keys,
                                const ratchet_tree* given_tree = nullptr);

  const group_context& context() const noexcept { return context_; }
  std::uint64_t epoch() const noexcept { return context_.epoch; }
  const ratchet_tree& tree() const noexcept { return tree_; }
  leaf_index own_leaf() const noexcept { return own_.own_leaf(); }
  const std::vector<queued_proposal>& queued_proposals() const noexcept { return queued_; }
  // The epoch's secrets: the exporter DAVE's per-sender media keys come from, and the epoch
  // authenticator DAVE shows as the voice privacy code.
  const key_schedule& epoch_secrets() const noexcept { return schedule_; }

  // A proposal for this epoch, from the external sender (signature under its key in the
  // external_senders extension) or from a member (membership tag and signature): verified, then
  // queued. Returns its ProposalRef.
  mls_result<bytes> receive_proposal(const public_message& message);
  // Drops a queued proposal (the gateway revoked it); false when none has that ref.
  bool revoke_proposal(bytes_view ref);

  // A commit of every queued proposal, by reference, with an UpdatePath when they require one
  // (any Remove, or none at all), and a Welcome when they add members.
  mls_result<created_commit> commit() const;
  // Another member's commit for this epoch: membership tag, signature, the proposals it names
  // (queued here, or inline), its UpdatePath and its confirmation tag.
  mls_result<applied_commit> apply_commit(const public_message& message) const;

 private:
  group(group_context context, ratchet_tree tree, tree_private_state own, bytes signature_private_key,
        key_schedule schedule, bytes interim_transcript_hash);

  mls_result<void> verify_sender(const public_message& message) const;
  // The Welcome for the members a commit added, made by the new epoch's group: a GroupInfo with
  // the ratchet tree signed by the committer, and for each joiner the path secret of the lowest
  // node it shares with the committer (`secrets`: the commit's, null without a path).
  mls_result<mls::welcome> welcome_joiners(bytes_view confirmation_tag, std::span<const leaf_index> joiners,
                                           std::span<const key_package* const> packages,
                                           const path_secrets* secrets) const;
  // The next epoch once `message` (its signature set) commits: GroupContext with the new confirmed
  // transcript hash, key schedule from `commit_secret`. Returns the confirmation tag it gives.
  bytes enter_next_epoch(group& next, group_context provisional, const public_message& message,
                         bytes_view commit_secret) const;

  group_context context_;
  ratchet_tree tree_;
  tree_private_state own_;
  bytes signature_private_key_;
  key_schedule schedule_;
  bytes interim_transcript_hash_;
  std::vector<queued_proposal> queued_;
};

struct created_commit {
  public_message message;
  std::optional<mls::welcome> welcome;  // present when the commit adds members
  group next;
};

struct applied_commit {
  // The next epoch, or nullopt when the commit removed this member.
  std::optional<group> next;
};

}  // namespace spence::net::dave::mls
