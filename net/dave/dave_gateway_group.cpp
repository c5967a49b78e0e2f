#include "net/dave/dave_gateway_group.hpp"

#include "net/dave/dave_gateway_wire.hpp"
#include "net/dave/mls/capabilities.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/mls_message.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/welcome.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace spence::net::dave {
dave_gateway_group::dave_gateway_group(std::uint64_t channel_id)
    : channel_id_(channel_id), key_(mls::generate_key_pair()), sender_{key_.public_key, mls::basic_credential{{0}}} {}

mls::bytes dave_gateway_group::external_sender_payload() const { return mls::encode(sender_); }

std::vector<std::uint64_t> dave_gateway_group::members() const {
  std::vector<std::uint64_t> users;
  for (const auto& user : roster_)
    if (user) users.push_back(*user);
  return users;
}

std::optional<std::uint32_t> dave_gateway_group::leaf_of(std::uint64_t user) const {
  const auto at = std::ranges::find(roster_, std::optional<std::uint64_t>(user));
  if (at == roster_.end()) return std::nullopt;
  return static_cast<std::uint32_t>(at - roster_.begin());
}

void dave_gateway_group::place(std::uint64_t user) {
  auto blank = std::ranges::find_if(roster_, [](const auto& leaf) { return !leaf; });
  if (blank == roster_.end()) {
    const std::size_t at = roster_.size();
    roster_.resize(std::max<std::size_t>(1, 2 * roster_.size()));
    roster_[at] = user;
    return;
  }
  *blank = user;
}

void dave_gateway_group::vacate(std::uint32_t leaf) {
  roster_.at(leaf).reset();
  while (roster_.size() > 1 && std::all_of(roster_.begin() + static_cast<std::ptrdiff_t>(roster_.size() / 2), roster_.end(),
                                           [](const auto& user) { return !user; })) {
    roster_.resize(roster_.size() / 2);
  }
}

mls::mls_error dave_gateway_group::refuse(mls::mls_error error) {
  ++refused_[error.message()];
  return error;
}

dave_gateway_group::outstanding_proposal dave_gateway_group::propose(mls::proposal body, std::uint64_t user,
                                                                     const std::vector<std::uint64_t>& recipients,
                                                                     outbox& out) {
  // Only an OpenSSL failure stops the signature.
  const auto message = mls::external_proposal(group_id_of_channel(channel_id_), epoch_, body, key_.private_key).value();
  const mls::bytes encoded = mls::encode(mls::mls_message{message});
  for (const auto recipient : recipients) out[recipient].push_back(encoded);
  return {mls::proposal_ref(message.authenticated_content()), user, std::move(body)};
}

std::vector<dave_gateway_output> dave_gateway_group::flush(outbox& out) const {
  std::vector<dave_gateway_output> sends;
  for (const auto& [recipient, messages] : out) {
    mls::tls_writer payload;
    payload.u8(proposals_append);
    payload.vector("proposal_messages", [&](mls::tls_writer& list) {
      for (const auto& message : messages) list.fixed(message);
    });
    sends.push_back({recipient, dave_binary_message{voice_op::dave_mls_proposals, std::move(payload).finish().value()}});
  }
  out.clear();
  return sends;
}

std::vector<dave_gateway_output> dave_gateway_group::revoke(const std::vector<outstanding_proposal>& revoked,
                                                            const std::vector<std::uint64_t>& recipients) const {
  if (revoked.empty()) return {};
  mls::tls_writer payload;
  payload.u8(proposals_revoke);
  payload.vector("proposal_refs", [&](mls::tls_writer& list) {
    for (const auto& proposal : revoked) list.opaque(proposal.ref, "proposal_ref");
  });
  const mls::bytes body = std::move(payload).finish().value();
  std::vector<dave_gateway_output> sends;
  for (const auto recipient : recipients) sends.push_back({recipient, dave_binary_message{voice_op::dave_mls_proposals, body}});
  return sends;
}

mls::mls_result<std::vector<dave_gateway_output>> dave_gateway_group::on_key_package(std::uint64_t user,
                                                                                     mls::bytes_view payload) {
  auto package = mls::decode<mls::key_package>(payload);
  if (!package) return refuse(package.error());
  if (auto valid = package->validate(); !valid) return refuse(valid.error());
  if (package->leaf_node.credential.user_id() != user) {
    return refuse(mls::make_mls_error(mls::mls_errc::invalid_key_package, "key_package.leaf_node.credential (another user)"));
  }
  if (package->leaf_node.capabilities != mls::capabilities::dave()) {
    return refuse(mls::make_mls_error(mls::mls_errc::invalid_key_package, "key_package.leaf_node.capabilities (not DAVE's)"));
  }

  std::vector<dave_gateway_output> sends;
  outbox out;
  if (epoch_ == 0) {
    // No group yet. A new package replaces an earlier one: what the others were offered goes.
    forming_proposals_.erase(user);
    sends = revoke_offers_of(user);
    packages_.insert_or_assign(user, *package);
    for (const auto& [pending, pending_package] : packages_) {
      if (pending == user) continue;
      forming_proposals_[pending].push_back(propose({mls::add_proposal{*package}}, user, {pending}, out));
      forming_proposals_[user].push_back(propose({mls::add_proposal{pending_package}}, pending, {user}, out));
    }
  } else {
    std::vector<std::uint64_t> others;
    for (const auto member : members())
      if (member != user && !departed_.contains(member)) others.push_back(member);
    if (others.empty()) {
      // Alone in the group it had: there is no one to commit, so the group starts over.
      roster_.clear();
      epoch_ = 0;
      proposals_.clear();
      transition_.reset();
      packages_.insert_or_assign(user, *package);
      return sends;
    }
    if (const auto leaf = leaf_of(user)) {
      // A member that reset (after a failure): out with its old leaf, in with the new package.
      proposals_.push_back(propose({mls::remove_proposal{*leaf}}, user, others, out));
    }
    packages_.insert_or_assign(user, *package);
    proposals_.push_back(propose({mls::add_proposal{*package}}, user, others, out));
  }
  auto proposals = flush(out);
  sends.insert(sends.end(), proposals.begin(), proposals.end());
  return sends;
}

mls::mls_result<std::vector<dave_gateway_output>> dave_gateway_group::on_commit_welcome(std::uint64_t user,
                                                                                        mls::bytes_view payload) {
  mls::tls_reader in(payload);
  auto message = mls::mls_message::read(in);
  if (!message) return refuse(message.error());
  const auto commit_bytes = payload.first(payload.size() - in.remaining());
  const auto welcome_bytes = payload.last(in.remaining());
  const auto* framed = message->public_message();
  const auto* commit = framed ? framed->content.commit_content() : nullptr;
  if (!commit) return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "mls_message (not a commit)"));
  if (framed->content.group_id != group_id_of_channel(channel_id_)) {
    return refuse(mls::make_mls_error(mls::mls_errc::wrong_group, "framed_content.group_id"));
  }
  if (framed->content.epoch != epoch_) {
    ++commits_ignored_;  // a commit for an epoch already decided (or never reached)
    return std::vector<dave_gateway_output>{};
  }
  if (framed->content.sender.type != mls::sender_type::member) {
    return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "sender.sender_type"));
  }
  const std::vector<outstanding_proposal>* expected = nullptr;
  if (epoch_ == 0) {
    // Its own one-member group, so leaf 0.
    const auto offered = forming_proposals_.find(user);
    if (!packages_.contains(user) || offered == forming_proposals_.end() || framed->content.sender.index != 0) {
      return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "sender (not a pending member)"));
    }
    expected = &offered->second;
  } else {
    if (leaf_of(user) != framed->content.sender.index) return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "sender.index"));
    expected = &proposals_;
  }
  // Exactly the outstanding proposals, each once, by reference, in any order.
  std::vector<const outstanding_proposal*> committed;
  for (const auto& each : commit->proposals) {
    const auto* ref = each.reference();
    const auto found = ref ? std::ranges::find_if(*expected, [&](const auto& p) { return p.ref == *ref; }) : expected->end();
    if (found == expected->end() || std::ranges::find(committed, &*found) != committed.end()) {
      return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "commit.proposals (not the outstanding ones)"));
    }
    committed.push_back(&*found);
  }
  if (committed.empty() || committed.size() != expected->size()) {
    return refuse(mls::make_mls_error(mls::mls_errc::invalid_commit, "commit.proposals (not all the outstanding ones)"));
  }
  const bool adds = std::ranges::any_of(committed, [](const auto* p) { return p->body->add() != nullptr; });
  std::optional<mls::welcome> welcome;
  if (adds) {
    auto read = mls::decode<mls::welcome>(welcome_bytes);
    if (!read) return refuse(read.error());
    welcome = *std::move(read);
  } else if (!welcome_bytes.empty()) {
    return refuse(mls::make_mls_error(mls::mls_errc::trailing_bytes, "welcome (a commit without adds)"));
  }

  // Accepted: the epoch is this commit's.
  std::vector<std::uint64_t> announce_to = epoch_ == 0 ? std::vector<std::uint64_t>{user} : members();
  if (epoch_ == 0) {
    roster_.assign(1, user);
    packages_.erase(user);
  }
  std::vector<std::uint64_t> added;
  for (const auto* p : committed) {
    if (const auto* remove = p->body->remove()) {
      vacate(remove->removed);
      std::erase(announce_to, p->user);  // out of the group: nothing to announce to it
      departed_.erase(p->user);
    }
  }
  for (const auto* p : committed) {
    if (!p->body->add()) continue;
    place(p->user);
    added.push_back(p->user);
  }
  ++epoch_;
  ++commits_accepted_;
  ++commits_by_user_[user];
  last_transition_id_ = static_cast<std::uint16_t>(last_transition_id_ == 0xffff ? 1 : last_transition_id_ + 1);
  const auto transition_id = last_transition_id_;

  std::vector<dave_gateway_output> sends;
  for (const auto member : announce_to) {
    if (departed_.contains(member)) continue;
    sends.push_back({member, dave_binary_message{voice_op::dave_mls_announce_commit_transition,
                                                 with_transition_id(transition_id, commit_bytes)}});
  }
  for (const auto joiner : added) {
    // Each joiner gets its own entry only, as Discord sends it.
    const mls::bytes ref = packages_.at(joiner).ref();
    mls::welcome trimmed = *welcome;
    std::erase_if(trimmed.secrets, [&](const auto& entry) { return entry.new_member != ref; });
    sends.push_back({joiner, dave_binary_message{voice_op::dave_mls_welcome,
                                                 with_transition_id(transition_id, mls::encode(trimmed))}});
    packages_.erase(joiner);
  }
  proposals_.clear();
  forming_proposals_.clear();
  transition_ = transition{transition_id, {}};
  for (const auto member : members())
    if (!departed_.contains(member)) transition_->awaiting.insert(member);

  // Whoever is still waiting for a place is proposed to the new epoch.
  outbox out;
  std::vector<std::uint64_t> recipients;
  for (const auto member : members())
    if (!departed_.contains(member)) recipients.push_back(member);
  for (const auto& [waiting, package] : packages_) {
    proposals_.push_back(propose({mls::add_proposal{package}}, waiting, recipients, out));
  }
  auto proposals = flush(out);
  sends.insert(sends.end(), proposals.begin(), proposals.end());
  return sends;
}

std::vector<dave_gateway_output> dave_gateway_group::on_transition_ready(std::uint64_t user, std::uint16_t transition_id) {
  if (!transition_ || transition_->id != transition_id) return {};
  transition_->awaiting.erase(user);
  if (!transition_->awaiting.empty()) return {};
  return execute_pending_transition(transition_id);
}

std::optional<std::uint16_t> dave_gateway_group::pending_transition() const {
  if (!transition_) return std::nullopt;
  return transition_->id;
}

std::vector<dave_gateway_output> dave_gateway_group::execute_pending_transition(std::uint16_t transition_id) {
  if (!transition_ || transition_->id != transition_id) return {};
  std::vector<dave_gateway_output> sends;
  for (const auto member : members())
    if (!departed_.contains(member)) sends.push_back({member, dave_execute_transition{transition_->id}});
  transition_.reset();
  return sends;
}

std::vector<dave_gateway_output> dave_gateway_group::reset_sole_member(std::uint64_t user) {
  roster_.clear();
  departed_.clear();
  epoch_ = 0;
  proposals_.clear();
  forming_proposals_.clear();
  transition_.reset();
  return {{user, dave_prepare_epoch{max_protocol_version, 1}}, {user, dave_prepare_transition{max_protocol_version, 0}}};
}

std::vector<dave_gateway_output> dave_gateway_group::revoke_offers_of(std::uint64_t user) {
  std::vector<dave_gateway_output> sends;
  for (auto& [pending, offered] : forming_proposals_) {
    std::vector<outstanding_proposal> stale;
    std::erase_if(offered, [&](const auto& p) {
      if (p.user != user) return false;
      stale.push_back(p);
      return true;
    });
    auto revocations = revoke(stale, {pending});
    sends.insert(sends.end(), revocations.begin(), revocations.end());
  }
  return sends;
}

std::vector<dave_gateway_output> dave_gateway_group::on_leave(std::uint64_t user) {
  packages_.erase(user);
  std::vector<dave_gateway_output> sends;
  if (epoch_ == 0) {
    forming_proposals_.erase(user);
    sends = revoke_offers_of(user);
    return sends;
  }
  std::vector<std::uint64_t> others;
  for (const auto member : members())
    if (member != user && !departed_.contains(member)) others.push_back(member);
  if (const auto leaf = leaf_of(user)) {
    departed_.insert(user);
    if (others.empty()) {
      roster_.clear();
      departed_.clear();
      epoch_ = 0;
      proposals_.clear();
      transition_.reset();
      return sends;
    }
    if (others.size() == 1) return reset_sole_member(others.front());
    outbox out;
    proposals_.push_back(propose({mls::remove_proposal{*leaf}}, user, others, out));
    sends = flush(out);
  } else {
    // It was about to be added: that Add is void.
    std::vector<outstanding_proposal> stale;
    std::erase_if(proposals_, [&](const auto& p) {
      if (p.user != user) return false;
      stale.push_back(p);
      return true;
    });
    sends = revoke(stale, others);
  }
  if (transition_) {
    auto executed = on_transition_ready(user, transition_->id);
    sends.insert(sends.end(), executed.begin(), executed.end());
  }
  return sends;
}

void dave_gateway_group::on_invalid_commit_welcome(std::uint64_t user, std::uint16_t transition_id) {
  ++invalid_commit_reports_;
  spdlog::info("DAVE gateway {}: user {} could not process transition {}; its next key package re-adds it",
               channel_id_, user, transition_id);
}

boost::json::object dave_gateway_group::stats() const {
  boost::json::object refused;
  for (const auto& [reason, count] : refused_) refused[reason] = count;
  boost::json::object by_user;
  for (const auto& [user, count] : commits_by_user_) by_user[std::to_string(user)] = count;
  return {{"epoch", epoch_},
          {"members", members().size()},
          {"pending", packages_.size()},
          {"commits_accepted", commits_accepted_},
          {"commits_by_user", std::move(by_user)},
          {"commits_ignored", commits_ignored_},
          {"invalid_commit_reports", invalid_commit_reports_},
          {"refused", std::move(refused)}};
}

}  // namespace spence::net::dave
