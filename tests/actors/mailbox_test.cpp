#include "actors/mailbox.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

namespace spence::actors {
namespace {

namespace asio = boost::asio;

// Counts the drains a mailbox schedules for its parked consumer.
struct counting_consumer final : wake_target {
  void schedule_drain(bool) override { ++drains; }
  int drains = 0;
};

// The next message, or nullopt when the mailbox had none (it parks).
template <class T>
std::optional<T> take_one(mailbox<T>& box) {
  std::optional<T> out;
  auto status = box.take(out);
  EXPECT_TRUE(status == mailbox<T>::take_status::message || status == mailbox<T>::take_status::parked);
  return out;
}

TEST(mailbox, control_refuses_when_full_and_keeps_order) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 3, overflow_policy::control);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(box.try_push(int{i}));
  EXPECT_EQ(box.try_push(99), errc::mailbox_full);
  EXPECT_EQ(box.stats().depth, 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(take_one(box), i);
  EXPECT_FALSE(take_one(box));
  EXPECT_EQ(box.stats().high_water, 3u);
  EXPECT_EQ(box.stats().dropped, 0u);
}

TEST(mailbox, realtime_drops_oldest_and_counts) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 4, overflow_policy::realtime);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(box.try_push(int{i}));
  EXPECT_EQ(box.stats().dropped, 6u);
  for (int i = 6; i < 10; ++i) EXPECT_EQ(take_one(box), i);
}

TEST(mailbox, storage_grows_in_order_past_the_first_slots) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 64, overflow_policy::control);
  // Interleave pops so the ring wraps before it grows.
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(box.try_push(int{next_in++}));
    ASSERT_EQ(take_one(box), next_out++);
  }
  while (auto v = take_one(box)) EXPECT_EQ(*v, next_out++);
  EXPECT_EQ(next_out, next_in);
}

TEST(mailbox, async_push_waits_for_space) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  bool pushed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto [ec] = co_await box.async_push(2, asio::as_tuple(asio::use_awaitable));
    EXPECT_FALSE(ec);
    pushed = true;
  }, asio::detached);
  io.poll();
  EXPECT_FALSE(pushed);
  EXPECT_EQ(take_one(box), 1);  // makes room: the waiting value moves in
  io.restart();
  io.poll();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(take_one(box), 2);
}

TEST(mailbox, close_fails_waiting_senders) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  boost::system::error_code send_ec;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto [ec] = co_await box.async_push(2, asio::as_tuple(asio::use_awaitable));
    send_ec = ec;
  }, asio::detached);
  io.poll();
  box.close();
  io.restart();
  io.poll();
  EXPECT_EQ(send_ec, errc::actor_stopped);
  EXPECT_EQ(box.try_push(3), errc::actor_stopped);
  std::optional<int> out;
  EXPECT_EQ(box.take(out), mailbox<int>::take_status::closed);
  EXPECT_FALSE(out);
  EXPECT_EQ(consumer.drains, 0);  // the consumer closes its own mailbox: nothing to wake
}

TEST(mailbox, a_parked_consumer_is_woken_once_by_a_push_or_an_interrupt) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 4, overflow_policy::control);
  // Not parked yet: a push does not wake the consumer, which is about to take.
  ASSERT_FALSE(box.try_push(5));
  EXPECT_EQ(consumer.drains, 0);
  EXPECT_EQ(take_one(box), 5);
  EXPECT_FALSE(take_one(box));  // parks
  ASSERT_FALSE(box.try_push(6));
  ASSERT_FALSE(box.try_push(7));
  EXPECT_EQ(consumer.drains, 1);  // the second push finds it already scheduled
  EXPECT_EQ(take_one(box), 6);
  EXPECT_EQ(take_one(box), 7);
  EXPECT_FALSE(take_one(box));
  box.interrupt();
  EXPECT_EQ(consumer.drains, 2);
  std::optional<int> out;
  EXPECT_EQ(box.take(out), mailbox<int>::take_status::interrupted);
  EXPECT_EQ(box.take(out), mailbox<int>::take_status::parked);
  // An interrupt while the consumer runs is reported by its next take.
  ASSERT_FALSE(box.try_push(8));
  EXPECT_EQ(consumer.drains, 3);
  box.interrupt();
  EXPECT_EQ(consumer.drains, 3);
  EXPECT_EQ(box.take(out), mailbox<int>::take_status::interrupted);
  EXPECT_EQ(box.take(out), mailbox<int>::take_status::message);
  EXPECT_EQ(out, 8);
}

TEST(mailbox, force_push_exceeds_capacity_for_notifications) {
  asio::io_context io;
  counting_consumer consumer;
  mailbox<int> box(io.get_executor(), consumer, 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  box.force_push(2);
  EXPECT_EQ(box.stats().depth, 2u);
}

}  // namespace
}  // namespace spence::actors
