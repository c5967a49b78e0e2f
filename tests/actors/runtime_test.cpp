// The runtime on a real thread pool: concurrency, shutdown, signals.

#include "tests/actors/test_actors.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace spence::actors {
namespace {

using namespace std::chrono_literals;
using testing::accumulator;

class counting : public ::testing::Test {};

// Many senders, many actors, small mailboxes: every message arrives once (no loss under
// backpressure), and asks from another thread see the totals.
TEST(runtime_pool, many_actors_many_messages_none_lost) {
  accumulator::reset_observations();
  runtime rt({2, nullptr});
  constexpr int actors = 50, per_actor = 400;
  spawn_options small;
  small.mailbox_capacity = 8;
  std::vector<actor_ref<accumulator::protocol>> refs;
  for (int i = 0; i < actors; ++i) refs.push_back(*rt.spawn<accumulator>("/n/" + std::to_string(i), {}, small));
  auto relay = *rt.spawn<accumulator>("/relay");
  // Outside senders retry on full; the relay forwards inside the system with backpressure.
  for (int v = 1; v <= per_actor; ++v)
    for (int i = 0; i < actors; ++i) {
      auto& target = (v % 2 == 0) ? relay : refs[i];
      auto message = (v % 2 == 0) ? accumulator::protocol{testing::forward_to{"/n/" + std::to_string(i), v}}
                                  : accumulator::protocol{testing::add{v}};
      while (target.cell()->box().try_push(accumulator::protocol{message}) == errc::mailbox_full)
        std::this_thread::yield();
    }
  boost::asio::io_context io;
  int expected = per_actor * (per_actor + 1) / 2;
  for (auto& r : refs) {
    std::optional<boost::system::result<int>> total;
    for (int attempt = 0; attempt < 200; ++attempt) {
      boost::asio::co_spawn(io, [&]() -> boost::asio::awaitable<void> {
        total = co_await ask<int>(r, [](reply_to<int> to) { return testing::get_total{std::move(to)}; }, 5s);
      }, boost::asio::detached);
      io.restart();
      io.run();
      if (total && *total && **total == expected) break;
      std::this_thread::sleep_for(5ms);
    }
    ASSERT_TRUE(total && *total);
    EXPECT_EQ(**total, expected) << r.name();
  }
  EXPECT_TRUE(rt.shutdown(2s));
}

TEST(runtime_pool, shutdown_drains_then_refuses_outside_messages) {
  accumulator::reset_observations();
  runtime rt({2, nullptr});
  auto a = *rt.spawn<accumulator>("/a");
  for (int i = 0; i < 50; ++i) ASSERT_FALSE(a.try_send(testing::add{1}));
  EXPECT_TRUE(rt.shutdown(2s));
  EXPECT_EQ(accumulator::seen().size(), 50u);  // drained before stopping
  EXPECT_EQ(a.try_send(testing::add{1}), errc::shutting_down);
  EXPECT_TRUE(a.stopped());
}

TEST(runtime_pool, metrics_snapshot_lists_every_actor) {
  runtime rt({2, nullptr});
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(rt.spawn<accumulator>("/m/" + std::to_string(i)));
  auto snapshot = rt.metrics();
  EXPECT_EQ(snapshot.size(), 10u);
  for (const auto& m : snapshot) EXPECT_EQ(m.mailbox_capacity, 64u);
}

TEST(runtime_pool, sigterm_triggers_graceful_shutdown) {
  accumulator::reset_observations();
  runtime rt({2, nullptr});
  auto a = *rt.spawn<accumulator>("/a");
  ASSERT_FALSE(a.try_send(testing::add{3}));
  std::thread killer([] {
    std::this_thread::sleep_for(50ms);
    std::raise(SIGTERM);
  });
  EXPECT_TRUE(rt.run_until_signal(2s));
  killer.join();
  EXPECT_TRUE(a.stopped());
  EXPECT_EQ(accumulator::seen().size(), 1u);
}

}  // namespace
}  // namespace spence::actors
