#pragma once
// The voice gateway's side of one channel's DAVE group: what Discord's voice servers do, so the
// Discord emulator can stand in for them (whitepaper "Protocol Overview"; our notes §2.3-2.5,
// §4.2). The gateway is not a member: it is the MLS external sender, holding a P-256 key of its
// own (never logged), and it never sees the group's secrets.
//
//   A user's key package (op 26), validated: while no group exists, every pending user is sent
//     external Add proposals (op 27) for the other pending users, so each can commit the group
//     into being; once one exists, its members are sent an Add for the newcomer. A member sending
//     a new key package (it reset after a failure, op 31) is removed and re-added.
//   A commit (op 28): the first valid one of the epoch wins (right group and epoch, a member
//     sender at its own leaf, exactly the outstanding proposals by reference, a Welcome when it
//     adds): op 29 announces it to the members it was made by, op 30 gives each added user the
//     Welcome trimmed to its own entry; later commits for that epoch are ignored.
//   Transition: once every member of the new epoch is ready (op 23), execute (op 22).
//   A member leaving: Remove proposals to the others; the last one left alone is reset (op 24
//     epoch 1, then op 21 transition 0) and waits, pending, for company.
//
// The roster follows MLS's placement (Removes blank a leaf and trailing blank halves go; Adds
// take the leftmost blank leaf or double the tree), so Removes name the right leaf.
//
// Pure logic: no I/O and no time (the caller executes a transition after its own timeout).
// Refusals are returned as mls_errors and counted; they change nothing.

#include "net/dave/dave_binary_message.hpp"
#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/p256.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/voice/voice_gateway_payloads.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <variant>
#include <vector>

namespace spence::net::dave {

// A message for one user: binary (ops 25, 27, 29, 30) or JSON (ops 21, 22, 24).
struct dave_gateway_output {
  using message_type = std::variant<dave_binary_message, dave_prepare_transition, dave_execute_transition, dave_prepare_epoch>;
  std::uint64_t user_id = 0;
  message_type message;
};

class dave_gateway_group {
 public:
  explicit dave_gateway_group(std::uint64_t channel_id);

  // Op 25's payload: the external sender every member's group must list.
  mls::bytes external_sender_payload() const;
  std::uint64_t epoch() const noexcept { return epoch_; }
  std::vector<std::uint64_t> members() const;

  mls::mls_result<std::vector<dave_gateway_output>> on_key_package(std::uint64_t user, mls::bytes_view payload);
  mls::mls_result<std::vector<dave_gateway_output>> on_commit_welcome(std::uint64_t user, mls::bytes_view payload);
  std::vector<dave_gateway_output> on_transition_ready(std::uint64_t user, std::uint16_t transition_id);
  // The transition waiting for members to be ready, if any.
  std::optional<std::uint16_t> pending_transition() const;
  // Executes transition `transition_id` if it is still waiting, without waiting for the rest
  // (their timeout passed).
  std::vector<dave_gateway_output> execute_pending_transition(std::uint16_t transition_id);
  std::vector<dave_gateway_output> on_leave(std::uint64_t user);
  // Op 31: counted; the user's next key package re-adds it.
  void on_invalid_commit_welcome(std::uint64_t user, std::uint16_t transition_id);

  // {"epoch", "members", "pending", "commits_accepted", "commits_by_user": {user: n}, "commits_ignored",
  //  "invalid_commit_reports", "refused": {reason: n}}
  boost::json::object stats() const;

 private:
  struct outstanding_proposal {
    mls::bytes ref;
    std::uint64_t user = 0;             // added or removed
    std::optional<mls::proposal> body;  // what it does, for the roster
  };
  using outbox = std::map<std::uint64_t, std::vector<mls::bytes>>;  // MLSMessages per recipient

  // An external proposal for the current epoch: recorded, and queued for `recipients`.
  outstanding_proposal propose(mls::proposal body, std::uint64_t user, const std::vector<std::uint64_t>& recipients,
                               outbox& out);
  std::vector<dave_gateway_output> flush(outbox& out) const;
  std::vector<dave_gateway_output> revoke(const std::vector<outstanding_proposal>& revoked,
                                          const std::vector<std::uint64_t>& recipients) const;
  // While no group exists: withdraws the Adds of `user` offered to the other pending users.
  std::vector<dave_gateway_output> revoke_offers_of(std::uint64_t user);
  std::vector<dave_gateway_output> reset_sole_member(std::uint64_t user);
  // Counts the refusal by reason and returns it.
  mls::mls_error refuse(mls::mls_error error);
  void place(std::uint64_t user);
  void vacate(std::uint32_t leaf);
  std::optional<std::uint32_t> leaf_of(std::uint64_t user) const;

  std::uint64_t channel_id_;
  mls::p256_key_pair key_;
  mls::external_sender sender_;

  // The DAVE protocol version the gateway runs the group at.
  static constexpr std::uint16_t max_protocol_version = 1;

  std::uint64_t epoch_ = 0;  // 0: no group yet
  std::vector<std::optional<std::uint64_t>> roster_;  // users by leaf index
  std::map<std::uint64_t, mls::key_package> packages_;  // of users waiting for a place
  std::set<std::uint64_t> departed_;                     // members gone, until a commit removes them
  std::vector<outstanding_proposal> proposals_;          // this epoch's, to the members
  std::map<std::uint64_t, std::vector<outstanding_proposal>> forming_proposals_;  // no group yet: by pending user
  struct transition {
    std::uint16_t id = 0;
    std::set<std::uint64_t> awaiting;
  };
  std::optional<transition> transition_;
  std::uint16_t last_transition_id_ = 0;

  std::uint64_t commits_accepted_ = 0, commits_ignored_ = 0, invalid_commit_reports_ = 0;
  std::map<std::uint64_t, std::uint64_t> commits_by_user_;  // whose commits won their epochs
  std::map<std::string, std::uint64_t, std::less<>> refused_;
};

}  // namespace spence::net::dave
