// MLS groups as DAVE runs them: members created from their key packages, the voice gateway's
// external Add and Remove proposals, commits by reference (add-only ones without a path, removes
// with one), Welcomes, and every member agreeing on the epoch's secrets after each commit, over
// several epochs and with commits from different members; then what a member must refuse.

#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/group.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <map>

namespace spence::net::dave::mls {
namespace {

using test::error_in;

const bytes group_id{0x0c, 0xde, 0x77, 0xea, 0xdc, 0x82, 0x30, 0x33};

// The voice gateway's part: an external sender signing proposals.
struct test_gateway {
  p256_key_pair key = generate_key_pair();
  mls::external_sender sender{key.public_key, basic_credential{{0}}};

  public_message propose(std::uint64_t epoch, proposal content) const {
    return external_proposal(group_id, epoch, std::move(content), key.private_key).value();
  }
  public_message add(std::uint64_t epoch, const key_package& package) const { return propose(epoch, {add_proposal{package}}); }
  public_message remove(std::uint64_t epoch, leaf_index leaf) const {
    return propose(epoch, {remove_proposal{leaf.value}});
  }
};

struct member {
  std::uint64_t user;
  created_key_package package;
  std::optional<group> state;
};

member new_member(std::uint64_t user) { return {user, create_key_package(user).value(), std::nullopt}; }

group create_group(const test_gateway& gateway, const member& creator) {
  auto created = group::create(group_id, creator.package.package.leaf_node, creator.package.private_keys.encryption_key,
                               creator.package.private_keys.signature_key,
                               {external_senders_extension({gateway.sender})});
  EXPECT_TRUE(created) << created.error().message();
  return *std::move(created);
}

void expect_same_epoch(const group& a, const group& b) {
  EXPECT_EQ(a.epoch(), b.epoch());
  EXPECT_EQ(a.context(), b.context());
  EXPECT_EQ(a.tree(), b.tree());
  EXPECT_EQ(a.epoch_secrets().epoch_authenticator(), b.epoch_secrets().epoch_authenticator());
  EXPECT_EQ(a.epoch_secrets().export_secret("Discord Secure Frames v0", bytes(8, 1), 16).value(),
            b.epoch_secrets().export_secret("Discord Secure Frames v0", bytes(8, 1), 16).value());
}

// The gateway's proposals reach every current member; `committer` commits; the others apply it
// and the added members join from the Welcome.
void run_epoch(std::map<std::uint64_t, member>& members, const std::vector<public_message>& proposals,
               std::uint64_t committer, const std::vector<std::uint64_t>& joiners) {
  for (auto& [user, m] : members) {
    if (!m.state) continue;
    for (const auto& p : proposals) ASSERT_TRUE(m.state->receive_proposal(p)) << user;
  }
  auto created = members.at(committer).state->commit();
  ASSERT_TRUE(created) << created.error().message();
  EXPECT_EQ(created->welcome.has_value(), !joiners.empty());
  for (auto& [user, m] : members) {
    if (!m.state || user == committer) continue;
    auto applied = m.state->apply_commit(created->message);
    ASSERT_TRUE(applied) << user << ": " << applied.error().message();
    if (applied->next) m.state = *std::move(applied->next);
    else m.state.reset();
  }
  members.at(committer).state = std::move(created->next);
  for (const auto user : joiners) {
    auto& m = members.at(user);
    auto joined = group::join(*created->welcome, m.package.package, m.package.private_keys);
    ASSERT_TRUE(joined) << user << ": " << joined.error().message();
    m.state = *std::move(joined);
  }
  const group* first = nullptr;
  for (auto& [user, m] : members) {
    if (!m.state) continue;
    if (first) expect_same_epoch(*first, *m.state);
    first = &*m.state;
  }
}

TEST(MlsGroup, MembersJoinCommitFromEitherSideAndLeaveOverFourEpochs) {
  test_gateway gateway;
  std::map<std::uint64_t, member> members;
  for (std::uint64_t user : {101, 102, 103, 104}) members.emplace(user, new_member(user));
  members.at(101).state = create_group(gateway, members.at(101));
  EXPECT_EQ(members.at(101).state->epoch(), 0u);

  // Epoch 1: 101 adds 102 (add-only: no path).
  run_epoch(members, {gateway.add(0, members.at(102).package.package)}, 101, {102});
  EXPECT_EQ(members.at(102).state->epoch(), 1u);
  EXPECT_EQ(members.at(102).state->own_leaf(), leaf_index{1});
  // Epoch 2: the joiner commits the next add.
  run_epoch(members, {gateway.add(1, members.at(103).package.package)}, 102, {103});
  // Epoch 3: a remove (with a path) and an add in one commit, by the third member.
  run_epoch(members, {gateway.remove(2, leaf_index{0}), gateway.add(2, members.at(104).package.package)}, 103, {104});
  EXPECT_FALSE(members.at(101).state);  // removed
  EXPECT_EQ(members.at(104).state->own_leaf(), leaf_index{0});  // the leftmost blank leaf
  // Epoch 4: a remove alone.
  run_epoch(members, {gateway.remove(3, leaf_index{1})}, 104, {});
  EXPECT_FALSE(members.at(102).state);
  EXPECT_EQ(members.at(103).state->epoch(), 4u);
}

TEST(MlsGroup, TwentyFiveMembersAgreeAfterAddsAndRemovesFromManyCommitters) {
  test_gateway gateway;
  std::map<std::uint64_t, member> members;
  for (std::uint64_t user = 1; user <= 25; ++user) members.emplace(user, new_member(user));
  members.at(1).state = create_group(gateway, members.at(1));
  for (std::uint64_t user = 2; user <= 25; ++user) {
    const auto epoch = members.at(1).state->epoch();
    // Committers rotate over the members already in.
    run_epoch(members, {gateway.add(epoch, members.at(user).package.package)}, 1 + (user * 7) % (user - 1), {user});
  }
  for (std::uint64_t leaving : {5, 17, 9}) {
    const auto& any = *members.at(2).state;
    leaf_index leaf{0};
    while (!any.tree().leaf(leaf) || any.tree().leaf(leaf)->credential.user_id() != leaving) ++leaf.value;
    run_epoch(members, {gateway.remove(any.epoch(), leaf)}, leaving == 17 ? 25 : 2, {});
  }
  EXPECT_EQ(members.at(2).state->epoch(), 27u);
}

class MlsGroupRefusals : public ::testing::Test {
 protected:
  void SetUp() override {
    members.emplace(1, new_member(1));
    members.emplace(2, new_member(2));
    members.emplace(3, new_member(3));
    members.at(1).state = create_group(gateway, members.at(1));
    run_epoch(members, {gateway.add(0, members.at(2).package.package)}, 1, {2});
    add_three = gateway.add(1, members.at(3).package.package);
    ASSERT_TRUE(a().receive_proposal(add_three));
    ASSERT_TRUE(b().receive_proposal(add_three));
    auto created = a().commit();
    ASSERT_TRUE(created);
    commit = created->message;
  }
  group& a() { return *members.at(1).state; }
  group& b() { return *members.at(2).state; }

  test_gateway gateway;
  std::map<std::uint64_t, member> members;
  public_message add_three;
  public_message commit;
};

TEST_F(MlsGroupRefusals, TheUntouchedCommitApplies) { EXPECT_TRUE(b().apply_commit(commit)); }

TEST_F(MlsGroupRefusals, ATamperedMembershipOrConfirmationTagOrSignature) {
  auto bad = commit;
  bad.membership_tag->at(0) ^= 1;
  EXPECT_EQ(error_in(b().apply_commit(bad)), make_mls_error(mls_errc::bad_tag, "public_message.membership_tag"));
  bad = commit;
  bad.confirmation_tag->at(0) ^= 1;  // the membership tag covers it too
  EXPECT_EQ(error_in(b().apply_commit(bad)).code, make_error_code(mls_errc::bad_tag));
  bad = commit;
  bad.signature.back() ^= 1;
  EXPECT_EQ(error_in(b().apply_commit(bad)).code, make_error_code(mls_errc::bad_tag));
}

TEST_F(MlsGroupRefusals, AnotherEpochOrGroupOrAnUnknownRef) {
  auto bad = commit;
  bad.content.epoch = 0;
  EXPECT_EQ(error_in(b().apply_commit(bad)), make_mls_error(mls_errc::wrong_epoch, "framed_content.epoch"));
  bad = commit;
  bad.content.group_id[0] ^= 1;
  EXPECT_EQ(error_in(b().apply_commit(bad)), make_mls_error(mls_errc::wrong_group, "framed_content.group_id"));
  EXPECT_TRUE(b().revoke_proposal(proposal_ref(add_three.authenticated_content())));
  EXPECT_EQ(error_in(b().apply_commit(commit)), make_mls_error(mls_errc::unknown_proposal, "commit.proposals"));
}

TEST_F(MlsGroupRefusals, ProposalsNotSignedByTheExternalSenderOrForAnotherEpoch) {
  test_gateway impostor;
  EXPECT_EQ(error_in(b().receive_proposal(impostor.add(1, members.at(3).package.package))),
            make_mls_error(mls_errc::bad_signature, "public_message.signature"));
  EXPECT_EQ(error_in(b().receive_proposal(gateway.add(0, members.at(3).package.package))).code,
            make_error_code(mls_errc::wrong_epoch));
  auto to_nobody = gateway.propose(1, {remove_proposal{0}});
  to_nobody.content.sender.index = 1;
  EXPECT_EQ(error_in(b().receive_proposal(to_nobody)), make_mls_error(mls_errc::invalid_proposal, "sender.index"));
}

TEST_F(MlsGroupRefusals, ProposalsThatCannotApply) {
  group fresh = b();
  for (const auto& q : fresh.queued_proposals()) fresh.revoke_proposal(q.ref);
  ASSERT_TRUE(fresh.receive_proposal(gateway.remove(1, leaf_index{1})));  // the committer itself
  EXPECT_EQ(error_in(fresh.commit()), make_mls_error(mls_errc::invalid_proposal, "remove.removed"));
  group twice = b();
  ASSERT_TRUE(twice.receive_proposal(gateway.add(1, members.at(2).package.package)));  // a member's keys again
  EXPECT_EQ(error_in(twice.commit()), make_mls_error(mls_errc::invalid_proposal, "add.key_package.leaf_node"));
}

TEST_F(MlsGroupRefusals, AMemberCannotApplyItsOwnCommitAndAWelcomeIsOnlyForItsJoiner) {
  EXPECT_EQ(error_in(a().apply_commit(commit)), make_mls_error(mls_errc::invalid_commit, "sender.index"));
  auto created = a().commit().value();
  const member stranger = new_member(9);
  EXPECT_FALSE(group::join(*created.welcome, stranger.package.package, stranger.package.private_keys));
  EXPECT_TRUE(group::join(*created.welcome, members.at(3).package.package, members.at(3).package.private_keys));
}

}  // namespace
}  // namespace spence::net::dave::mls
