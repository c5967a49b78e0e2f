// DAVE sessions and the voice gateway's group logic together, in process: the gateway's messages
// delivered to each member's dave_session and theirs back, in order, as a voice server relays
// them. Members join (the group formed by whichever commit wins), leave (Remove commits with
// paths), come back after a failure; after every transition each member's frames decrypt at every
// other member. Also: DAVE off (protocol version 0) sends frames as they are, and bad input is
// refused, counted and recovered from.

#include "net/dave/dave_gateway_group.hpp"
#include "net/dave/dave_session.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <map>
#include <memory>

namespace spence::net::dave {
namespace {

constexpr std::uint64_t channel = 927310423890473011;

struct participant {
  std::shared_ptr<opus_frame_encryptor> encryptor = std::make_shared<opus_frame_encryptor>();
  std::unique_ptr<dave_session> session;
};

// Delivers messages both ways until nothing is in flight, in the order they were sent.
class call {
 public:
  void join(std::uint64_t user) {
    auto& p = people_[user];
    p.session = std::make_unique<dave_session>(user, channel, p.encryptor, "user " + std::to_string(user));
    std::vector<std::string> others;
    for (const auto& [other, q] : people_)
      if (other != user) others.push_back(std::to_string(other));
    p.session->on_clients_connect(others);
    for (auto& [other, q] : people_)
      if (other != user) q.session->on_clients_connect({std::to_string(user)});
    to_member(user, dave_binary_message{voice_op::dave_mls_external_sender, gateway.external_sender_payload()});
    from_member(user, p.session->on_session_description(1, frame_clock::now()));
    run();
  }

  void leave(std::uint64_t user) {
    people_.erase(user);
    for (auto& [other, q] : people_) q.session->on_client_disconnect(std::to_string(user));
    to_members(gateway.on_leave(user));
    run();
  }

  // A message from the gateway, as a member receives it.
  void to_member(std::uint64_t user, const dave_gateway_output::message_type& message) {
    in_flight_.push_back([this, user, message] {
      auto found = people_.find(user);
      if (found == people_.end()) return;
      auto& session = *found->second.session;
      const auto now = frame_clock::now();
      if (const auto* binary = std::get_if<dave_binary_message>(&message)) {
        switch (binary->op) {
          case voice_op::dave_mls_external_sender: return from_member(user, session.on_external_sender(binary->payload));
          case voice_op::dave_mls_proposals: return from_member(user, session.on_proposals(binary->payload));
          case voice_op::dave_mls_announce_commit_transition:
            return from_member(user, session.on_announce_commit(binary->payload, now));
          case voice_op::dave_mls_welcome: return from_member(user, session.on_welcome(binary->payload, now));
          default: FAIL() << "unexpected op";
        }
      } else if (const auto* prepare = std::get_if<dave_prepare_transition>(&message)) {
        from_member(user, session.on_prepare_transition(*prepare, now));
      } else if (const auto* execute = std::get_if<dave_execute_transition>(&message)) {
        session.on_execute_transition(*execute, now);
      } else {
        from_member(user, session.on_prepare_epoch(std::get<dave_prepare_epoch>(message), now));
      }
    });
  }
  void to_members(const std::vector<dave_gateway_output>& sends) {
    for (const auto& send : sends) to_member(send.user_id, send.message);
  }

  // What a member's session sends, as the gateway receives it.
  void from_member(std::uint64_t user, const std::vector<dave_gateway_message>& messages) {
    for (const auto& message : messages) {
      in_flight_.push_back([this, user, message] {
        if (const auto* binary = std::get_if<dave_binary_message>(&message)) {
          auto sends = binary->op == voice_op::dave_mls_key_package ? gateway.on_key_package(user, binary->payload)
                                                                    : gateway.on_commit_welcome(user, binary->payload);
          ASSERT_TRUE(sends) << sends.error().message();
          to_members(*sends);
        } else if (const auto* ready = std::get_if<dave_transition_ready>(&message)) {
          to_members(gateway.on_transition_ready(user, ready->transition_id));
        } else {
          const auto& invalid = std::get<dave_mls_invalid_commit_welcome>(message);
          gateway.on_invalid_commit_welcome(user, invalid.transition_id);
          ++invalid_reports;
        }
      });
    }
  }

  void run() {
    while (!in_flight_.empty()) {
      auto next = std::move(in_flight_.front());
      in_flight_.pop_front();
      next();
    }
  }

  participant& operator[](std::uint64_t user) { return people_.at(user); }

  // Every member in the same epoch with the same roster, and each one's frame decrypting at
  // every other.
  void expect_everyone_hears_everyone(std::size_t members) {
    ASSERT_EQ(gateway.members().size(), members);
    const auto epoch = people_.begin()->second.session->epoch();
    ASSERT_TRUE(epoch);
    EXPECT_EQ(*epoch, gateway.epoch());
    for (auto& [user, p] : people_) {
      EXPECT_EQ(p.session->epoch(), epoch) << user;
      auto roster = p.session->members();
      std::sort(roster.begin(), roster.end());
      auto expected = gateway.members();
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(roster, expected) << user;
    }
    for (auto& [sender, p] : people_) {
      const mls::bytes opus{0x78, 1, 2, 3, 4, 5, 6, static_cast<std::uint8_t>(sender)};
      mls::bytes wire;
      const auto frame = p.encryptor->encrypt(opus, wire);
      ASSERT_FALSE(frame.empty()) << sender << " has no send key";
      ASSERT_NE(mls::bytes(frame.begin(), frame.end()), opus);
      for (auto& [receiver, q] : people_) {
        if (receiver == sender) continue;
        mls::bytes out;
        auto heard = q.session->decrypt(sender, frame, out, frame_clock::now());
        ASSERT_TRUE(heard) << receiver << " cannot decrypt " << sender;
        EXPECT_EQ(mls::bytes(heard->begin(), heard->end()), opus);
      }
    }
  }

  dave_gateway_group gateway{channel};
  int invalid_reports = 0;

 private:
  std::map<std::uint64_t, participant> people_;
  std::deque<std::function<void()>> in_flight_;
};

TEST(DaveSession, MembersJoinLeaveAndRejoinOverManyEpochsAndAlwaysHearEachOther) {
  call c;
  c.join(1);
  EXPECT_FALSE(c[1].session->epoch());  // alone: no group, nothing to encrypt for
  mls::bytes wire;
  EXPECT_TRUE(c[1].encryptor->encrypt(mls::bytes{1, 2, 3, 4}, wire).empty());

  c.join(2);  // the group forms: both commit, one wins
  c.expect_everyone_hears_everyone(2);
  EXPECT_EQ(c.gateway.epoch(), 1u);
  c.join(3);
  c.expect_everyone_hears_everyone(3);
  c.join(4);
  c.expect_everyone_hears_everyone(4);
  c.leave(2);  // a Remove: its commit carries a path
  c.expect_everyone_hears_everyone(3);
  c.join(5);
  c.expect_everyone_hears_everyone(4);
  c.leave(1);
  c.leave(3);
  c.expect_everyone_hears_everyone(2);
  EXPECT_GE(c.gateway.epoch(), 7u);
  EXPECT_EQ(c.invalid_reports, 0);
  EXPECT_GT(c.gateway.stats().at("commits_ignored").as_uint64(), 0u);  // the losers of each epoch
}

TEST(DaveSession, TheLastMemberLeftAloneIsResetAndTheGroupFormsAgain) {
  call c;
  c.join(1);
  c.join(2);
  c.expect_everyone_hears_everyone(2);
  c.leave(2);  // 1 alone: op 24 epoch 1 and op 21 transition 0, a new key package
  EXPECT_FALSE(c[1].session->epoch());
  EXPECT_EQ(c.gateway.epoch(), 0u);
  c.join(3);
  c.expect_everyone_hears_everyone(2);
}

TEST(DaveSession, ACommitThatCannotBeProcessedIsReportedAndTheMemberRejoins) {
  call c;
  c.join(1);
  c.join(2);
  c.join(3);
  c.expect_everyone_hears_everyone(3);
  // A garbled announce to member 3: it reports op 31, starts over with a new key package, and the
  // gateway removes and re-adds it.
  const auto before = c.gateway.epoch();
  c.to_member(3, dave_binary_message{voice_op::dave_mls_announce_commit_transition, {0, 9, 0, 1, 0, 1, 0xff}});
  c.run();
  EXPECT_EQ(c.invalid_reports, 1);
  EXPECT_EQ(c[3].session->stats().at("failures").as_object().size(), 1u);
  EXPECT_GT(c.gateway.epoch(), before);
  c.expect_everyone_hears_everyone(3);
}

TEST(DaveSession, ProtocolVersionZeroSendsAndAcceptsPlainOpus) {
  auto encryptor = std::make_shared<opus_frame_encryptor>();
  dave_session session(1, channel, encryptor, "stage");
  EXPECT_TRUE(session.on_session_description(0, frame_clock::now()).empty());  // no key package
  const mls::bytes opus{0x78, 9, 9, 9};
  mls::bytes wire;
  const auto sent = encryptor->encrypt(opus, wire);
  EXPECT_EQ(mls::bytes(sent.begin(), sent.end()), opus);
  mls::bytes out;
  auto heard = session.decrypt(2, opus, out, frame_clock::now());
  ASSERT_TRUE(heard);
  EXPECT_EQ(mls::bytes(heard->begin(), heard->end()), opus);
}

TEST(DaveSession, BadGatewayPayloadsAreCountedAndChangeNothing) {
  auto encryptor = std::make_shared<opus_frame_encryptor>();
  dave_session session(1, channel, encryptor, "bad input");
  ASSERT_EQ(session.on_session_description(1, frame_clock::now()).size(), 1u);  // its key package
  EXPECT_TRUE(session.on_external_sender(mls::bytes{0x40}).empty());
  EXPECT_TRUE(session.on_proposals(mls::bytes{0}).empty());  // no external sender, so no group yet
  dave_gateway_group gateway(channel);
  EXPECT_TRUE(session.on_external_sender(gateway.external_sender_payload()).empty());
  EXPECT_TRUE(session.on_proposals(mls::bytes{}).empty());
  EXPECT_TRUE(session.on_proposals(mls::bytes{7, 0}).empty());
  EXPECT_TRUE(session.on_proposals(mls::bytes{0, 3, 1, 2, 3}).empty());
  // A welcome that is not one: reported (op 31) and a fresh key package.
  const auto answer = session.on_welcome(mls::bytes{0, 5, 1, 2}, frame_clock::now());
  ASSERT_EQ(answer.size(), 2u);
  EXPECT_EQ(std::get<dave_mls_invalid_commit_welcome>(answer[0]).transition_id, 5);
  EXPECT_EQ(std::get<dave_binary_message>(answer[1]).op, voice_op::dave_mls_key_package);
  EXPECT_EQ(session.stats().at("failures").as_object().size(), 6u);
  EXPECT_FALSE(session.epoch());
}

TEST(DaveGatewayGroup, RefusesKeyPackagesOfAnotherUserOrGarbageAndCommitsThatAreNotTheOutstandingOnes) {
  dave_gateway_group gateway(channel);
  EXPECT_EQ(gateway.on_key_package(1, mls::bytes{0, 1}).error().code, make_error_code(mls::mls_errc::truncated));
  auto package = mls::create_key_package(2).value();
  EXPECT_EQ(gateway.on_key_package(1, mls::encode(package.package)).error().code,
            make_error_code(mls::mls_errc::invalid_key_package));
  EXPECT_TRUE(gateway.on_key_package(2, mls::encode(package.package)));
  EXPECT_FALSE(gateway.on_commit_welcome(2, mls::bytes{0, 1, 0, 1}));
  EXPECT_EQ(gateway.stats().at("refused").as_object().size(), 3u);
}

}  // namespace
}  // namespace spence::net::dave
