// Actors on the deterministic executor: exact ordering, timers on virtual time.

#include "tests/actors/test_actors.hpp"

#include "actors/deterministic_executor.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <numeric>
#include <sstream>

namespace spence::actors {
namespace {

using namespace std::chrono_literals;
using testing::accumulator;
using testing::add;
using testing::boom;
using testing::get_total;

class actor_test : public ::testing::Test {
 protected:
  void SetUp() override { accumulator::reset_observations(); }

  // Runs an ask to completion on the executor.
  boost::system::result<int> ask_total(const actor_ref<accumulator::protocol>& ref, clock::duration timeout = 1s) {
    std::optional<boost::system::result<int>> out;
    boost::asio::co_spawn(exec.executor(), [&]() -> boost::asio::awaitable<void> {
      out = co_await ask<int>(ref, [](reply_to<int> r) { return get_total{std::move(r)}; }, timeout);
    }, boost::asio::detached);
    exec.run_for(timeout + 1ms);
    return *out;
  }

  deterministic_executor exec;
  runtime rt{exec.executor(), exec.clock()};
};

TEST_F(actor_test, handles_messages_in_order_and_replies) {
  auto a = rt.spawn<accumulator>("/a", {10});
  ASSERT_TRUE(a);
  for (int i = 1; i <= 5; ++i) ASSERT_FALSE(a->try_send(add{i}));
  exec.run_until_idle();
  EXPECT_THAT(accumulator::seen(), ::testing::ElementsAre(1, 2, 3, 4, 5));
  EXPECT_EQ(ask_total(*a).value(), 25);
  auto m = a->cell()->metrics();
  EXPECT_EQ(m.processed, 6u);
  EXPECT_EQ(m.mailbox_high_water, 5u);
  EXPECT_EQ(m.name, "/a");
  EXPECT_EQ(m.kind, "test.accumulator");
}

TEST_F(actor_test, names_are_unique_while_running) {
  ASSERT_TRUE(rt.spawn<accumulator>("/same"));
  auto again = rt.spawn<accumulator>("/same");
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error(), errc::duplicate_name);
}

TEST_F(actor_test, address_stays_safe_after_stop) {
  auto a = *rt.spawn<accumulator>("/a");
  ASSERT_FALSE(a.try_send(testing::stop_now{}));
  exec.run_until_idle();
  EXPECT_TRUE(a.stopped());
  EXPECT_EQ(a.try_send(add{1}), errc::actor_stopped);
  EXPECT_FALSE(rt.find("/a"));
  // The name is free again.
  EXPECT_TRUE(rt.spawn<accumulator>("/a"));
}

TEST_F(actor_test, control_mailbox_full_is_reported_to_outside_senders) {
  spawn_options small;
  small.mailbox_capacity = 2;
  auto a = *rt.spawn<accumulator>("/a", {}, small);
  EXPECT_FALSE(a.try_send(add{1}));
  EXPECT_FALSE(a.try_send(add{2}));
  EXPECT_EQ(a.try_send(add{3}), errc::mailbox_full);
  exec.run_until_idle();
  EXPECT_THAT(accumulator::seen(), ::testing::ElementsAre(1, 2));
}

TEST_F(actor_test, realtime_mailbox_drops_oldest_and_counts) {
  spawn_options realtime;
  realtime.mailbox_capacity = 3;
  realtime.policy = overflow_policy::realtime;
  auto a = *rt.spawn<accumulator>("/a", {}, realtime);
  for (int i = 1; i <= 10; ++i) EXPECT_FALSE(a.try_send(add{i}));
  exec.run_until_idle();
  EXPECT_THAT(accumulator::seen(), ::testing::ElementsAre(8, 9, 10));
  EXPECT_EQ(a.cell()->metrics().dropped, 7u);
}

TEST_F(actor_test, sends_between_actors_wait_for_space_instead_of_dropping) {
  spawn_options small;
  small.mailbox_capacity = 1;
  auto sink = *rt.spawn<accumulator>("/sink", {}, small);
  auto source = *rt.spawn<accumulator>("/source");
  for (int i = 1; i <= 20; ++i) ASSERT_FALSE(source.try_send(testing::forward_to{"/sink", i}));
  exec.run_until_idle();
  std::vector<int> expected(20);
  std::iota(expected.begin(), expected.end(), 1);
  EXPECT_EQ(accumulator::seen(), expected);
  EXPECT_EQ(sink.cell()->metrics().dropped, 0u);
  EXPECT_EQ(sink.cell()->metrics().mailbox_high_water, 1u);
}

TEST_F(actor_test, ask_to_a_stopped_actor_fails_at_once) {
  auto a = *rt.spawn<accumulator>("/a");
  a.cell()->request_stop("gone before it can answer");
  exec.run_until_idle();
  auto r = ask_total(a, 50ms);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), errc::actor_stopped);
}

TEST_F(actor_test, ask_times_out_on_the_clock_and_a_late_reply_is_dropped) {
  auto m = *rt.spawn<testing::mute>("/mute");
  std::optional<boost::system::result<int>> out;
  boost::asio::co_spawn(exec.executor(), [&]() -> boost::asio::awaitable<void> {
    out = co_await ask<int>(m, [](reply_to<int> r) { return get_total{std::move(r)}; }, 30ms);
  }, boost::asio::detached);
  exec.run_for(29ms);
  EXPECT_FALSE(out);
  exec.run_for(1ms);
  ASSERT_TRUE(out);
  EXPECT_EQ(out->error(), errc::ask_timeout);

  auto slot = std::make_shared<detail::reply_slot<int>>();
  reply_to<int> to(slot);
  EXPECT_TRUE(slot->complete(make_error_code(errc::ask_timeout)));
  EXPECT_FALSE(to.send(7));  // late: dropped
  EXPECT_FALSE(reply_to<int>{}.send(7));  // inert (replayed) slot
}

TEST_F(actor_test, timers_fire_on_virtual_time) {
  auto a = *rt.spawn<accumulator>("/a");
  ASSERT_FALSE(a.try_send(testing::wake_me{100, 7}));
  exec.run_for(99ms);
  EXPECT_TRUE(accumulator::seen().empty());
  exec.run_for(1ms);
  EXPECT_THAT(accumulator::seen(), ::testing::ElementsAre(7));
}

TEST_F(actor_test, restart_gives_fresh_state_at_the_same_address_and_cancels_timers) {
  auto a = *rt.spawn<accumulator>("/a", {100});
  ASSERT_FALSE(a.try_send(add{5}));
  ASSERT_FALSE(a.try_send(testing::wake_me{10, 1000}));
  ASSERT_FALSE(a.try_send(boom{"bad input"}));
  ASSERT_FALSE(a.try_send(add{1}));  // queued behind the crash: still delivered
  exec.run_for(20ms);
  EXPECT_EQ(accumulator::constructions(), 2);
  EXPECT_THAT(accumulator::seen(), ::testing::ElementsAre(5, 1));  // the timer died with the old state
  EXPECT_EQ(ask_total(a).value(), 101);
  EXPECT_EQ(a.cell()->metrics().restarts, 1u);
}

TEST_F(actor_test, crash_is_logged_with_actor_name_and_message_type) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  auto a = *rt.spawn<accumulator>("/guild/42/player");
  ASSERT_FALSE(a.try_send(boom{"decoder fault"}));
  exec.run_until_idle();
  spdlog::set_default_logger(previous);
  EXPECT_THAT(log.str(), ::testing::HasSubstr("/guild/42/player"));
  EXPECT_THAT(log.str(), ::testing::HasSubstr("spence::actors::testing::boom"));
  EXPECT_THAT(log.str(), ::testing::HasSubstr("decoder fault"));
}

TEST_F(actor_test, restart_intensity_limit_stops_and_tells_parent_and_watchers) {
  auto parent = *rt.spawn<testing::parent_of_one>("/p", {static_cast<int>(supervision::strategy::restart)});
  exec.run_until_idle();
  auto child = rt.find_as<accumulator::protocol>("/p/child");
  ASSERT_TRUE(child);
  auto watcher = *rt.spawn<accumulator>("/watcher");
  std::string told;
  child.cell()->on_terminated([&](const terminated& t) { told = t.reason; });
  for (int i = 0; i < 3; ++i) ASSERT_FALSE(child.try_send(boom{"again"}));
  exec.run_until_idle();
  EXPECT_TRUE(child.stopped());
  EXPECT_THAT(told, ::testing::HasSubstr("restart limit exceeded"));
  EXPECT_THAT(accumulator::ended(), ::testing::Contains("parent saw /p/child"));
  EXPECT_FALSE(parent.stopped());
  EXPECT_FALSE(watcher.stopped());
}

TEST_F(actor_test, restart_intensity_window_forgets_old_restarts) {
  auto parent = *rt.spawn<testing::parent_of_one>("/p", {static_cast<int>(supervision::strategy::restart)});
  exec.run_until_idle();
  auto child = rt.find_as<accumulator::protocol>("/p/child");
  for (int i = 0; i < 6; ++i) {
    ASSERT_FALSE(child.try_send(boom{"now and then"}));
    exec.run_for(6s);  // two restarts per 10 s are allowed: spaced out, never exceeded
  }
  EXPECT_FALSE(child.stopped());
  EXPECT_EQ(child.cell()->metrics().restarts, 6u);
}

TEST_F(actor_test, stop_strategy_terminates_on_first_failure) {
  auto parent = *rt.spawn<testing::parent_of_one>("/p", {static_cast<int>(supervision::strategy::stop)});
  exec.run_until_idle();
  auto child = rt.find_as<accumulator::protocol>("/p/child");
  ASSERT_FALSE(child.try_send(boom{"once"}));
  exec.run_until_idle();
  EXPECT_TRUE(child.stopped());
  EXPECT_FALSE(parent.stopped());
}

TEST_F(actor_test, escalate_fails_the_parent_which_restarts_with_a_new_child) {
  auto parent = *rt.spawn<testing::parent_of_one>("/p", {static_cast<int>(supervision::strategy::escalate)});
  exec.run_until_idle();
  auto first_child = rt.find_as<accumulator::protocol>("/p/child");
  ASSERT_FALSE(first_child.try_send(boom{"up the chain"}));
  exec.run_until_idle();
  EXPECT_TRUE(first_child.stopped());
  EXPECT_EQ(parent.cell()->metrics().restarts, 1u);
  auto second_child = rt.find_as<accumulator::protocol>("/p/child");
  ASSERT_TRUE(second_child);
  EXPECT_NE(second_child.cell(), first_child.cell());
  EXPECT_FALSE(second_child.stopped());
}

TEST_F(actor_test, failing_construction_is_supervised) {
  spawn_options once;
  once.policy_on_failure.max_restarts = 0;
  auto a = *rt.spawn<accumulator>("/a", {0, true}, once);
  exec.run_until_idle();
  EXPECT_TRUE(a.stopped());
}

TEST_F(actor_test, stopping_a_parent_stops_its_children) {
  auto parent = *rt.spawn<testing::parent_of_one>("/p", {0});
  exec.run_until_idle();
  auto child = rt.find_as<accumulator::protocol>("/p/child");
  parent.cell()->request_stop("test");
  exec.run_until_idle();
  EXPECT_TRUE(parent.stopped());
  EXPECT_TRUE(child.stopped());
  EXPECT_EQ(rt.actor_count(), 0u);
}

TEST_F(actor_test, effects_go_to_registered_sinks_and_a_missing_sink_is_a_failure) {
  struct collecting_sink : effect_sink {
    std::string bytes;
    void write(std::span<const std::byte> b) override { bytes.append(reinterpret_cast<const char*>(b.data()), b.size()); }
  };
  auto sink = std::make_shared<collecting_sink>();
  rt.add_effect_sink("out", sink);
  auto a = *rt.spawn<accumulator>("/a");
  ASSERT_FALSE(a.try_send(testing::emit_text{"out", "hello "}));
  ASSERT_FALSE(a.try_send(testing::emit_text{"nowhere", "lost?"}));
  ASSERT_FALSE(a.try_send(testing::emit_text{"out", "again"}));
  exec.run_until_idle();
  EXPECT_EQ(sink->bytes, "hello again");
  EXPECT_EQ(a.cell()->metrics().restarts, 1u);
}

}  // namespace
}  // namespace spence::actors
