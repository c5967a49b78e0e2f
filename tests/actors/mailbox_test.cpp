#include "actors/mailbox.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

namespace spence::actors {
namespace {

namespace asio = boost::asio;

TEST(mailbox, control_refuses_when_full_and_keeps_order) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 3, overflow_policy::control);
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(box.try_push(int{i}));
  EXPECT_EQ(box.try_push(99), errc::mailbox_full);
  EXPECT_EQ(box.stats().depth, 3u);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(box.try_pop(), i);
  EXPECT_FALSE(box.try_pop());
  EXPECT_EQ(box.stats().high_water, 3u);
  EXPECT_EQ(box.stats().dropped, 0u);
}

TEST(mailbox, realtime_drops_oldest_and_counts) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 4, overflow_policy::realtime);
  for (int i = 0; i < 10; ++i) EXPECT_FALSE(box.try_push(int{i}));
  EXPECT_EQ(box.stats().dropped, 6u);
  for (int i = 6; i < 10; ++i) EXPECT_EQ(box.try_pop(), i);
}

TEST(mailbox, storage_grows_in_order_past_the_first_slots) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 64, overflow_policy::control);
  // Interleave pops so the ring wraps before it grows.
  int next_in = 0, next_out = 0;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 3; ++i) ASSERT_FALSE(box.try_push(int{next_in++}));
    ASSERT_EQ(box.try_pop(), next_out++);
  }
  while (auto v = box.try_pop()) EXPECT_EQ(*v, next_out++);
  EXPECT_EQ(next_out, next_in);
}

TEST(mailbox, async_push_waits_for_space) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  bool pushed = false;
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto [ec] = co_await box.async_push(2, asio::as_tuple(asio::use_awaitable));
    EXPECT_FALSE(ec);
    pushed = true;
  }, asio::detached);
  io.poll();
  EXPECT_FALSE(pushed);
  EXPECT_EQ(box.try_pop(), 1);  // makes room: the waiting value moves in
  io.restart();
  io.poll();
  EXPECT_TRUE(pushed);
  EXPECT_EQ(box.try_pop(), 2);
}

TEST(mailbox, close_fails_waiting_senders_and_wakes_receiver) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  boost::system::error_code send_ec, wait_ec;
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
  asio::co_spawn(io, [&]() -> asio::awaitable<void> {
    auto [ec] = co_await box.async_wait(asio::as_tuple(asio::use_awaitable));
    wait_ec = ec;
  }, asio::detached);
  io.restart();
  io.poll();
  EXPECT_EQ(wait_ec, errc::actor_stopped);
}

TEST(mailbox, wait_completes_on_push_and_on_interrupt) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 4, overflow_policy::control);
  int wakes = 0;
  auto waiter = [&]() -> asio::awaitable<void> {
    co_await box.async_wait(asio::use_awaitable);
    ++wakes;
  };
  asio::co_spawn(io, waiter(), asio::detached);
  io.poll();
  EXPECT_EQ(wakes, 0);
  ASSERT_FALSE(box.try_push(5));
  io.restart();
  io.poll();
  EXPECT_EQ(wakes, 1);
  asio::co_spawn(io, waiter(), asio::detached);
  box.try_pop();
  io.restart();
  io.poll();
  box.interrupt();
  io.restart();
  io.poll();
  EXPECT_EQ(wakes, 2);
}

TEST(mailbox, force_push_exceeds_capacity_for_notifications) {
  asio::io_context io;
  mailbox<int> box(io.get_executor(), 1, overflow_policy::control);
  ASSERT_FALSE(box.try_push(1));
  box.force_push(2);
  EXPECT_EQ(box.stats().depth, 2u);
}

}  // namespace
}  // namespace spence::actors
