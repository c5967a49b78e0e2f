#pragma once
// One voice connection's DAVE session (whitepaper "Protocol Overview" and "Voice Gateway
// Opcodes"; libdave's session): the member's side of the MLS group the voice gateway runs as
// external sender, and the transitions that switch the frame keys.
//
//   Session Description with DAVE version > 0, or prepare_epoch 1 (a new group), or a failure:
//     start over with a fresh key package (op 26), never reusing one.
//   op 25 (external sender) with a key package: a one-member epoch-0 group of our own, pending
//     until a commit or welcome makes us a member.
//   op 27 (proposals): append (verified: the gateway's signature, Adds only for users known to be
//     in the call) or revoke; then commit every queued proposal and send it, with a Welcome when
//     it adds members (op 28). The commit's outcome is kept until the gateway picks one.
//   op 29 (announce commit): ours, so the kept outcome becomes the group; or another member's,
//     applied. op 30 (welcome): join. Either way the receive ratchets of every other member are
//     installed at once, and the send ratchet waits for execute_transition (op 22), which we
//     acknowledge with transition_ready (op 23); transition 0 executes at once. A commit or
//     welcome we cannot process is reported (op 31) and we start over.
//   op 21 (prepare transition) to protocol version 0: frames go in the clear from execute on, and
//     clear frames from others are accepted.
//
// Protocol version 0 from the start (Stage channels): DAVE is off and frames go as plain Opus.
// DAVE's rules on top of MLS: commits only by reference, add/remove only, no user twice.
//
// Not thread-safe: the voice connection's executor drives it. Bad input is counted by reason and
// logged; it never throws.

#include "net/dave/dave_binary_message.hpp"
#include "net/dave/frame_decryptor.hpp"
#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/group.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/opus_frame_encryptor.hpp"
#include "net/voice/voice_gateway_payloads.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace spence::net::dave {

// The DAVE protocol version spence speaks (Identify's max_dave_protocol_version).
inline constexpr std::uint16_t max_dave_protocol_version = 1;

// What the session sends the gateway: JSON ops 23 and 31, binary ops 26 (key package) and 28
// (commit and welcome).
using dave_gateway_message = std::variant<dave_transition_ready, dave_mls_invalid_commit_welcome, dave_binary_message>;

class dave_session {
 public:
  // `encryptor` is the voice sink's frame hook: the session sets its ratchet and passthrough.
  dave_session(std::uint64_t self_user_id, std::uint64_t channel_id, std::shared_ptr<opus_frame_encryptor> encryptor,
               std::string log_name);

  std::uint16_t protocol_version() const noexcept { return protocol_version_; }
  // The established group's epoch; nullopt while there is none.
  std::optional<std::uint64_t> epoch() const;
  // The members' user IDs (ourselves included) of the established group.
  std::vector<std::uint64_t> members() const;

  std::vector<dave_gateway_message> on_session_description(std::uint16_t dave_protocol_version, frame_time now);
  void on_clients_connect(const std::vector<std::string>& user_ids);
  void on_client_disconnect(std::string_view user_id);
  std::vector<dave_gateway_message> on_external_sender(mls::bytes_view payload);
  std::vector<dave_gateway_message> on_proposals(mls::bytes_view payload);
  std::vector<dave_gateway_message> on_announce_commit(mls::bytes_view payload, frame_time now);
  std::vector<dave_gateway_message> on_welcome(mls::bytes_view payload, frame_time now);
  std::vector<dave_gateway_message> on_prepare_transition(const dave_prepare_transition& prepare, frame_time now);
  void on_execute_transition(const dave_execute_transition& execute, frame_time now);
  std::vector<dave_gateway_message> on_prepare_epoch(const dave_prepare_epoch& prepare, frame_time now);

  // A frame `user_id` sent: its Opus (written into `out`, or the frame itself when it passes as
  // it is), or why it was refused.
  boost::system::result<std::span<const std::uint8_t>, frame_rejection> decrypt(std::uint64_t user_id,
                                                                                  mls::bytes_view frame,
                                                                                  mls::bytes& out, frame_time now);

  // {"protocol_version", "epoch", "members", "commits", "welcomes", "failures": {reason: n},
  //  "decrypted", "rejected"}
  boost::json::object stats() const;

 private:
  // Starts over: no group, a fresh key package to send.
  std::vector<dave_gateway_message> reset();
  void make_pending_group();
  // After a commit or welcome made `next` the group: receive ratchets now, the send ratchet on
  // execute (at once for transition 0, else acknowledged with op 23).
  std::vector<dave_gateway_message> enter_group(mls::group next, std::uint16_t transition_id, frame_time now);
  void execute(std::uint16_t transition_id, frame_time now);
  // What to do when a commit or welcome cannot be processed: op 31, then start over.
  std::vector<dave_gateway_message> fail(std::uint16_t transition_id, std::string_view what, const mls::mls_error& why);
  void count_failure(std::string_view what, const mls::mls_error& why);
  mls::mls_result<void> check_roster(const mls::group& group) const;
  frame_decryptor& decryptor_for(std::uint64_t user_id);

  std::uint64_t self_user_id_;
  std::uint64_t channel_id_;
  std::shared_ptr<opus_frame_encryptor> encryptor_;
  std::string log_name_;

  std::uint16_t protocol_version_ = 0;
  std::optional<mls::external_sender> external_sender_;
  std::optional<mls::created_key_package> key_package_;  // the last one sent
  std::optional<mls::group> pending_group_;              // ours alone, epoch 0, until a commit or welcome
  std::optional<mls::group> group_;                      // the established group
  struct own_commit {
    mls::bytes message;  // the MLSMessage we sent, to recognize it in op 29
    mls::group next;
  };
  std::optional<own_commit> own_commit_;
  std::set<std::uint64_t> recognized_users_;             // op 11 minus op 13
  std::map<std::uint16_t, std::uint16_t> pending_transitions_;  // transition id -> protocol version
  std::map<std::uint64_t, frame_decryptor> decryptors_;
  std::uint64_t commits_ = 0, welcomes_ = 0;
  std::map<std::string, std::uint64_t, std::less<>> failures_;
};

}  // namespace spence::net::dave
