#include "actors/clock.hpp"
#include "actors/deterministic_executor.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace spence::actors {
namespace {

using namespace std::chrono_literals;

TEST(virtual_clock, fires_in_deadline_order_at_their_own_time) {
  deterministic_executor exec;
  auto& clk = *exec.clock();
  std::vector<std::pair<int, std::int64_t>> fired;
  auto at = [&](int id, clock::duration d) {
    return clk.schedule(clk.now() + d, exec.executor(), [&, id] { fired.push_back({id, clk.now().count()}); });
  };
  at(3, 30ms);
  at(1, 10ms);
  at(2, 10ms);  // same deadline: scheduling order
  auto cancelled = at(4, 20ms);
  cancelled.cancel();
  exec.run_for(25ms);
  ASSERT_EQ(fired.size(), 2u);
  EXPECT_EQ(fired[0], (std::pair<int, std::int64_t>{1, std::chrono::nanoseconds(10ms).count()}));
  EXPECT_EQ(fired[1].first, 2);
  EXPECT_EQ(clk.now(), 25ms);
  exec.run_for(10ms);
  ASSERT_EQ(fired.size(), 3u);
  EXPECT_EQ(fired[2], (std::pair<int, std::int64_t>{3, std::chrono::nanoseconds(30ms).count()}));
}

TEST(virtual_clock, never_moves_backwards) {
  virtual_clock clk(100ns);
  clk.advance_to(50ns);
  EXPECT_EQ(clk.now(), 100ns);
}

TEST(real_clock, timers_fire_after_their_deadline) {
  boost::asio::io_context io;
  real_clock clk;
  auto start = clk.now();
  clock::time_point fired_at{0};
  clk.schedule(start + 5ms, io.get_executor(), [&] { fired_at = clk.now(); });
  io.run();
  EXPECT_GE(fired_at - start, 5ms);
}

}  // namespace
}  // namespace spence::actors
