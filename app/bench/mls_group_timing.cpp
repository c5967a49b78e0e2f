#include "app/bench/mls_group_timing.hpp"

#include "app/bench/bench_media.hpp"

#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/group.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/key_package.hpp"

#include <boost/json/object.hpp>

#include <algorithm>
#include <vector>

namespace spence::app::bench {
namespace {

namespace mls = net::dave::mls;
namespace json = boost::json;

const mls::bytes group_id{0, 0, 0, 0, 0, 0, 0, 42};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Thread CPU milliseconds `work` takes.
template <typename Work>
double cpu_ms(Work&& work) {
  const double start = thread_cpu_seconds();
  std::forward<Work>(work)();
  return (thread_cpu_seconds() - start) * 1000;
}

// A committer and an observer in a group of `members`, built by add-only commits; the other
// members exist only as leaves (they would apply the same commits as the observer does).
struct measured_group {
  mls::p256_key_pair gateway = mls::generate_key_pair();
  std::optional<mls::group> committer;
  std::optional<mls::group> observer;
  std::uint64_t next_user = 1;

  mls::public_message propose(mls::proposal body) {
    return mls::external_proposal(group_id, committer->epoch(), std::move(body), gateway.private_key).value();
  }

  // Commits an Add of a fresh user; returns the commit and Welcome, the joiner's package and keys.
  struct added {
    mls::created_commit commit;
    mls::created_key_package joiner;
  };
  added commit_add() {
    auto joiner = mls::create_key_package(next_user++).value();
    const auto proposal = propose({mls::add_proposal{joiner.package}});
    committer->receive_proposal(proposal).value();
    if (observer) observer->receive_proposal(proposal).value();
    return {committer->commit().value(), std::move(joiner)};
  }

  explicit measured_group(int members) {
    auto creator = mls::create_key_package(next_user++).value();
    const mls::external_sender sender{gateway.public_key, mls::basic_credential{{0}}};
    committer = mls::group::create(group_id, creator.package.leaf_node, creator.private_keys.encryption_key,
                                   creator.private_keys.signature_key, {mls::external_senders_extension({sender})})
                    .value();
    for (int size = 1; size < members; ++size) {
      auto [commit, joiner] = commit_add();
      if (observer) observer = *observer->apply_commit(commit.message).value().next;
      committer = std::move(commit.next);
      if (!observer) observer = mls::group::join(*commit.welcome, joiner.package, joiner.private_keys).value();
    }
  }
};

json::object time_group(int members, int rounds) {
  std::vector<double> add_commit, add_apply, welcome_join, remove_commit, remove_apply;
  for (int round = 0; round < rounds; ++round) {
    measured_group g(members);
    // A measured Add of one more member...
    std::optional<measured_group::added> add;
    add_commit.push_back(cpu_ms([&] { add.emplace(g.commit_add()); }));
    std::optional<mls::applied_commit> applied;
    add_apply.push_back(cpu_ms([&] { applied = g.observer->apply_commit(add->commit.message).value(); }));
    std::optional<mls::group> joined;
    welcome_join.push_back(
        cpu_ms([&] { joined = mls::group::join(*add->commit.welcome, add->joiner.package, add->joiner.private_keys).value(); }));
    g.committer = std::move(add->commit.next);
    g.observer = *std::move(applied->next);
    // ...then shrink with a measured Remove of the newest member (its path reaches everyone).
    const auto remove = g.propose({mls::remove_proposal{joined->own_leaf().value}});
    g.committer->receive_proposal(remove).value();
    g.observer->receive_proposal(remove).value();
    std::optional<mls::created_commit> removal;
    remove_commit.push_back(cpu_ms([&] { removal = g.committer->commit().value(); }));
    remove_apply.push_back(cpu_ms([&] { (void)g.observer->apply_commit(removal->message).value(); }));
  }
  return {{"members", members},
          {"add_commit_ms", median(add_commit)},
          {"add_apply_ms", median(add_apply)},
          {"welcome_join_ms", median(welcome_join)},
          {"remove_commit_ms", median(remove_commit)},
          {"remove_apply_ms", median(remove_apply)}};
}

}  // namespace

json::array time_mls_group_operations(std::span<const int> member_counts, int rounds) {
  json::array out;
  for (const int members : member_counts) out.push_back(time_group(members, rounds));
  return out;
}

}  // namespace spence::app::bench
