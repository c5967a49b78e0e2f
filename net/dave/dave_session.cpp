#include "net/dave/dave_session.hpp"

#include "net/dave/dave_gateway_wire.hpp"
#include "net/dave/key_ratchet.hpp"
#include "net/dave/mls/mls_message.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/welcome.hpp"
#include "net/voice/snowflake.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace spence::net::dave {
dave_session::dave_session(std::uint64_t self_user_id, std::uint64_t channel_id,
                           std::shared_ptr<opus_frame_encryptor> encryptor, std::string log_name)
    : self_user_id_(self_user_id), channel_id_(channel_id), encryptor_(std::move(encryptor)), log_name_(std::move(log_name)) {}

std::optional<std::uint64_t> dave_session::epoch() const {
  if (!group_) return std::nullopt;
  return group_->epoch();
}

std::vector<std::uint64_t> dave_session::members() const {
  std::vector<std::uint64_t> users;
  if (!group_) return users;
  const auto& tree = group_->tree();
  for (mls::leaf_index at{0}; tree.contains(at); ++at.value) {
    const auto* leaf = tree.leaf(at);
    if (!leaf) continue;
    if (auto user = leaf->credential.user_id()) users.push_back(*user);
  }
  return users;
}

std::vector<dave_gateway_message> dave_session::on_session_description(std::uint16_t dave_protocol_version,
                                                                       frame_time now) {
  protocol_version_ = dave_protocol_version;
  if (dave_protocol_version == 0) {
    spdlog::info("{}: the voice server runs without DAVE (protocol version 0): frames are sent as plain Opus",
                 log_name_);
    encryptor_->set_passthrough(true);
    for (auto& [user, decryptor] : decryptors_) decryptor.transition_to_passthrough(true, now);
    return {};
  }
  spdlog::info("{}: DAVE protocol version {}: frames are end-to-end encrypted", log_name_, dave_protocol_version);
  encryptor_->set_passthrough(false);
  return reset();
}

void dave_session::on_clients_connect(const std::vector<std::string>& user_ids) {
  for (const auto& text : user_ids) {
    if (auto user = parse_snowflake(text)) recognized_users_.insert(*user);
  }
}

void dave_session::on_client_disconnect(std::string_view user_id) {
  if (auto user = parse_snowflake(user_id)) recognized_users_.erase(*user);
}

std::vector<dave_gateway_message> dave_session::reset() {
  group_.reset();
  pending_group_.reset();
  own_commit_.reset();
  key_package_.reset();
  auto created = mls::create_key_package(self_user_id_);
  if (!created) {
    count_failure("key package", created.error());
    return {};
  }
  key_package_.emplace(*std::move(created));
  make_pending_group();
  return {dave_binary_message{voice_op::dave_mls_key_package, mls::encode(key_package_->package)}};
}

void dave_session::make_pending_group() {
  if (!external_sender_ || !key_package_ || group_) return;
  const auto& keys = key_package_->private_keys;
  auto created = mls::group::create(group_id_of_channel(channel_id_), key_package_->package.leaf_node, keys.encryption_key,
                                    keys.signature_key, {mls::external_senders_extension({*external_sender_})});
  if (!created) {
    count_failure("group creation", created.error());
    return;
  }
  pending_group_.emplace(*std::move(created));
}

std::vector<dave_gateway_message> dave_session::on_external_sender(mls::bytes_view payload) {
  auto sender = mls::decode<mls::external_sender>(payload);
  if (!sender) {
    count_failure("external sender", sender.error());
    return {};
  }
  external_sender_ = *std::move(sender);
  make_pending_group();
  return {};
}

std::vector<dave_gateway_message> dave_session::on_proposals(mls::bytes_view payload) {
  mls::group* target = group_ ? &*group_ : pending_group_ ? &*pending_group_ : nullptr;
  if (!target) {
    count_failure("proposals", mls::make_mls_error(mls::mls_errc::invalid_proposal, "no group yet"));
    return {};
  }
  if (payload.empty()) {
    count_failure("proposals", mls::make_mls_error(mls::mls_errc::truncated, "operation_type"));
    return {};
  }
  mls::tls_reader in(payload.subspan(1));
  if (payload[0] == proposals_append) {
    auto messages = mls::read_list<mls::mls_message>(in, "proposal_messages");
    if (messages && !in.empty()) messages = in.finish().error();
    if (!messages) {
      count_failure("proposals", messages.error());
      return {};
    }
    for (const auto& message : *messages) {
      const auto* framed = message.public_message();
      const auto* proposal = framed ? framed->content.proposal_content() : nullptr;
      if (!proposal) {
        count_failure("proposals", mls::make_mls_error(mls::mls_errc::invalid_proposal, "mls_message.wire_format"));
        continue;
      }
      if (const auto* add = proposal->add()) {
        const auto user = add->key_package.leaf_node.credential.user_id();
        if (!user || !recognized_users_.contains(*user)) {
          count_failure("proposals", mls::make_mls_error(mls::mls_errc::invalid_proposal, "add for a user not in the call"));
          continue;
        }
      }
      if (auto queued = target->receive_proposal(*framed); !queued) count_failure("proposals", queued.error());
    }
  } else if (payload[0] == proposals_revoke) {
    auto refs = in.vector("proposal_refs");
    if (refs && !in.empty()) refs = in.finish().error();
    while (refs && !refs->empty()) {
      auto ref = refs->opaque("proposal_ref");
      if (!ref) {
        refs = ref.error();
        break;
      }
      target->revoke_proposal(*ref);
    }
    if (!refs) count_failure("proposals", refs.error());
  } else {
    count_failure("proposals", mls::make_mls_error(mls::mls_errc::unknown_value, "operation_type"));
    return {};
  }

  own_commit_.reset();
  if (target->queued_proposals().empty()) return {};
  auto created = target->commit();
  if (!created) {
    count_failure("commit", created.error());
    return {};
  }
  mls::bytes message = mls::encode(mls::mls_message{created->message});
  mls::bytes commit_welcome = message;
  if (created->welcome) {
    const auto welcome = mls::encode(*created->welcome);
    commit_welcome.insert(commit_welcome.end(), welcome.begin(), welcome.end());
  }
  own_commit_.emplace(own_commit{std::move(message), std::move(created->next)});
  return {dave_binary_message{voice_op::dave_mls_commit_welcome, std::move(commit_welcome)}};
}

std::vector<dave_gateway_message> dave_session::on_announce_commit(mls::bytes_view payload, frame_time now) {
  const auto transition_id = transition_id_of(payload);
  if (!transition_id) return fail(0, "commit", mls::make_mls_error(mls::mls_errc::truncated, "transition_id"));
  const auto commit_bytes = payload.subspan(2);
  if (own_commit_ && std::ranges::equal(own_commit_->message, commit_bytes)) {
    // Ours won the epoch: what commit() computed is the group (MLS has no way to apply one's own).
    mls::group next = std::move(own_commit_->next);
    ++commits_;
    return enter_group(std::move(next), *transition_id, now);
  }
  auto message = mls::decode<mls::mls_message>(commit_bytes);
  if (!message) return fail(*transition_id, "commit", message.error());
  const auto* framed = message->public_message();
  const auto* commit = framed ? framed->content.commit_content() : nullptr;
  if (!commit) return fail(*transition_id, "commit", mls::make_mls_error(mls::mls_errc::invalid_commit, "mls_message"));
  if (!group_) {
    return fail(*transition_id, "commit", mls::make_mls_error(mls::mls_errc::invalid_commit, "no established group"));
  }
  if (!std::ranges::all_of(commit->proposals, [](const auto& p) { return p.reference() != nullptr; })) {
    return fail(*transition_id, "commit", mls::make_mls_error(mls::mls_errc::invalid_commit, "commit.proposals (inline)"));
  }
  auto applied = group_->apply_commit(*framed);
  if (!applied) return fail(*transition_id, "commit", applied.error());
  if (!applied->next) {
    spdlog::info("{}: removed from the DAVE group", log_name_);
    return reset();
  }
  if (auto roster = check_roster(*applied->next); !roster) return fail(*transition_id, "commit", roster.error());
  ++commits_;
  return enter_group(*std::move(applied->next), *transition_id, now);
}

std::vector<dave_gateway_message> dave_session::on_welcome(mls::bytes_view payload, frame_time now) {
  const auto transition_id = transition_id_of(payload);
  if (!transition_id) return fail(0, "welcome", mls::make_mls_error(mls::mls_errc::truncated, "transition_id"));
  auto welcome = mls::decode<mls::welcome>(payload.subspan(2));
  if (!welcome) return fail(*transition_id, "welcome", welcome.error());
  if (!key_package_) {
    return fail(*transition_id, "welcome", mls::make_mls_error(mls::mls_errc::invalid_commit, "no key package sent"));
  }
  auto joined = mls::group::join(*welcome, key_package_->package, key_package_->private_keys);
  if (!joined) return fail(*transition_id, "welcome", joined.error());
  auto senders = mls::external_senders_of(joined->context().extensions);
  if (!senders || senders->size() != 1 || (external_sender_ && senders->front() != *external_sender_)) {
    return fail(*transition_id, "welcome",
                mls::make_mls_error(mls::mls_errc::invalid_commit, "group_context.extensions.external_senders"));
  }
  if (auto roster = check_roster(*joined); !roster) return fail(*transition_id, "welcome", roster.error());
  ++welcomes_;
  return enter_group(*std::move(joined), *transition_id, now);
}

mls::mls_result<void> dave_session::check_roster(const mls::group& group) const {
  std::set<std::uint64_t> seen;
  const auto& tree = group.tree();
  for (mls::leaf_index at{0}; tree.contains(at); ++at.value) {
    const auto* leaf = tree.leaf(at);
    if (!leaf) continue;
    const auto user = leaf->credential.user_id();
    if (!user || !seen.insert(*user).second) {
      return mls::make_mls_error(mls::mls_errc::invalid_commit, "roster (a user twice, or not a user ID)");
    }
  }
  return {};
}

std::vector<dave_gateway_message> dave_session::enter_group(mls::group next, std::uint16_t transition_id, frame_time now) {
  group_.emplace(std::move(next));
  pending_group_.reset();
  own_commit_.reset();
  // Receive ratchets at once: members switch their send ratchets on execute, at slightly
  // different moments, and frames under the new keys must decrypt from the first.
  for (const auto user : members()) {
    if (user == self_user_id_) continue;
    decryptor_for(user).transition_to_key_ratchet(key_ratchet::for_sender(group_->epoch_secrets(), user), now);
  }
  spdlog::info("{}: DAVE group at epoch {} with {} members (transition {})", log_name_, group_->epoch(),
               members().size(), transition_id);
  pending_transitions_[transition_id] = protocol_version_;
  if (transition_id == 0) {
    execute(0, now);
    return {};
  }
  return {dave_transition_ready{transition_id}};
}

std::vector<dave_gateway_message> dave_session::on_prepare_transition(const dave_prepare_transition& prepare,
                                                                      frame_time now) {
  pending_transitions_[prepare.transition_id] = prepare.protocol_version;
  // A downgrade: others may send clear frames from any moment on; accept them already.
  if (prepare.protocol_version == 0) {
    for (auto& [user, decryptor] : decryptors_) decryptor.transition_to_passthrough(true, now);
  }
  if (prepare.transition_id == 0) {
    execute(0, now);
    return {};
  }
  return {dave_transition_ready{prepare.transition_id}};
}

void dave_session::on_execute_transition(const dave_execute_transition& execute_message, frame_time now) {
  execute(execute_message.transition_id, now);
}

void dave_session::execute(std::uint16_t transition_id, frame_time now) {
  const auto pending = pending_transitions_.find(transition_id);
  if (pending == pending_transitions_.end()) {
    count_failure("transition", mls::make_mls_error(mls::mls_errc::unknown_value, "transition_id"));
    return;
  }
  protocol_version_ = pending->second;
  pending_transitions_.erase(pending);
  if (protocol_version_ == 0) {
    encryptor_->set_passthrough(true);
    return;
  }
  encryptor_->set_passthrough(false);
  if (group_) encryptor_->set_key_ratchet(key_ratchet::for_sender(group_->epoch_secrets(), self_user_id_));
  for (auto& [user, decryptor] : decryptors_) decryptor.transition_to_passthrough(false, now);
}

std::vector<dave_gateway_message> dave_session::on_prepare_epoch(const dave_prepare_epoch& prepare, frame_time) {
  // Epoch 1 means a new group is being formed: whatever we had is gone.
  if (prepare.epoch != 1) return {};
  protocol_version_ = prepare.protocol_version;
  return reset();
}

std::vector<dave_gateway_message> dave_session::fail(std::uint16_t transition_id, std::string_view what,
                                                     const mls::mls_error& why) {
  count_failure(what, why);
  std::vector<dave_gateway_message> out{dave_mls_invalid_commit_welcome{transition_id}};
  auto restart = reset();
  out.insert(out.end(), restart.begin(), restart.end());
  return out;
}

void dave_session::count_failure(std::string_view what, const mls::mls_error& why) {
  const std::string reason = std::string(what) + ": " + why.message();
  auto [entry, first] = failures_.try_emplace(reason, 0);
  ++entry->second;
  spdlog::warn("{}: DAVE {} refused: {}", log_name_, what, why.message());
}

frame_decryptor& dave_session::decryptor_for(std::uint64_t user_id) {
  auto [entry, created] = decryptors_.try_emplace(user_id);
  if (created && protocol_version_ == 0) entry->second.transition_to_passthrough(true, frame_clock::now());
  return entry->second;
}

boost::system::result<std::span<const std::uint8_t>, frame_rejection> dave_session::decrypt(std::uint64_t user_id,
                                                                                              mls::bytes_view frame,
                                                                                              mls::bytes& out,
                                                                                              frame_time now) {
  return decryptor_for(user_id).decrypt(frame, out, now);
}

boost::json::object dave_session::stats() const {
  boost::json::object failures;
  for (const auto& [reason, count] : failures_) failures[reason] = count;
  std::uint64_t decrypted = 0, rejected = 0;
  for (const auto& [user, decryptor] : decryptors_) {
    decrypted += decryptor.counters().decrypted;
    for (const auto count : decryptor.counters().rejected) rejected += count;
  }
  boost::json::object out{{"protocol_version", protocol_version_},
                          {"members", members().size()},
                          {"commits", commits_},
                          {"welcomes", welcomes_},
                          {"failures", std::move(failures)},
                          {"decrypted", decrypted},
                          {"rejected", rejected}};
  if (group_) out["epoch"] = group_->epoch();
  return out;
}

}  // namespace spence::net::dave
