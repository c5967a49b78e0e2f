#include "actors/clock.hpp"
#include "actors/deterministic_executor.hpp"
#include "engine/player/frame_clock.hpp"
#include "engine/player/lateness_histogram.hpp"
#include "engine/player/shard_pool.hpp"
#include "engine/player/tick_shard.hpp"

#include <boost/asio/thread_pool.hpp>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <memory>
#include <numeric>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

namespace spence::engine {
namespace {

using namespace std::chrono_literals;
using duration = std::chrono::nanoseconds;
constexpr duration period = frame_clock::period;

// A player that records which frames it got, their deadlines and how late, and can burn real CPU
// time per tick.
class recording_player final : public tickable {
 public:
  explicit recording_player(const actors::clock& clock, bool active = true) : clock_(clock), active_(active) {
    frames.reserve(64);
  }

  void tick(std::uint64_t frame, actors::clock::time_point deadline) override {
    frames.push_back(frame);
    deadlines.push_back(deadline);
    lateness.push_back(clock_.now() - deadline);
    const auto until = std::chrono::steady_clock::now() + burn;
    while (std::chrono::steady_clock::now() < until) {
    }
    if (idle_after_frames > 0 && frames.size() >= idle_after_frames) active_ = false;
  }
  bool active() const override { return active_; }
  void set_active(bool active) { active_ = active; }

  std::vector<std::uint64_t> frames;
  std::vector<actors::clock::time_point> deadlines;
  std::vector<duration> lateness;
  duration burn{0};
  std::size_t idle_after_frames = 0;  // 0: never goes idle by itself

 private:
  const actors::clock& clock_;
  bool active_;
};

std::vector<std::uint64_t> frame_range(std::uint64_t first, std::uint64_t last) {
  std::vector<std::uint64_t> frames;
  for (auto f = first; f <= last; ++f) frames.push_back(f);
  return frames;
}

void expect_continuous(const std::vector<std::uint64_t>& frames) {
  for (std::size_t i = 1; i < frames.size(); ++i) ASSERT_EQ(frames[i], frames[i - 1] + 1) << "at " << i;
}

// The member's phase: how far after the frame clock's deadline its frames were due, the same for
// every frame it got.
duration phase_of(const recording_player& player) {
  EXPECT_FALSE(player.frames.empty());
  if (player.frames.empty()) return duration{-1};
  const frame_clock frames;
  const duration phase = player.deadlines[0] - frames.deadline(player.frames[0]);
  for (std::size_t i = 1; i < player.frames.size(); ++i)
    EXPECT_EQ(player.deadlines[i] - frames.deadline(player.frames[i]), phase) << "frame " << player.frames[i];
  return phase;
}

void expect_near_relative(duration actual, duration expected, double tolerance) {
  EXPECT_LE(std::abs(static_cast<double>((actual - expected).count())),
            tolerance * static_cast<double>(expected.count()))
      << actual.count() << " ns vs " << expected.count() << " ns";
}

TEST(lateness_histogram, quantiles_within_three_percent_from_a_microsecond_to_ten_seconds) {
  for (duration scale : {duration(1us), duration(1ms), duration(10ms)}) {
    lateness_histogram h;
    for (int k = 1; k <= 1000; ++k) h.record(scale * k);
    EXPECT_EQ(h.count(), 1000u);
    EXPECT_EQ(h.max(), scale * 1000);
    expect_near_relative(h.quantile(0.5), scale * 500, 0.03);
    expect_near_relative(h.quantile(0.99), scale * 990, 0.03);
    expect_near_relative(h.quantile(0.001), scale, 0.03);
  }
  for (duration d = 1us; d <= duration(10s); d = d * 107 / 100) {
    lateness_histogram h;
    h.record(d);
    h.record(d * 2);
    expect_near_relative(h.quantile(0.5), d, 0.03);
  }
}

TEST(lateness_histogram, early_counts_as_on_time_and_merge_and_copy_are_snapshots) {
  lateness_histogram empty;
  EXPECT_EQ(empty.quantile(0.99), duration{0});

  lateness_histogram a;
  a.record(-5ms);
  EXPECT_EQ(a.count(), 1u);
  EXPECT_EQ(a.max(), duration{0});
  EXPECT_EQ(a.quantile(1.0), duration{0});

  lateness_histogram b;
  b.record(7ms);
  b.record(9ms);
  const lateness_histogram copy = b;
  b.record(1s);
  EXPECT_EQ(copy.count(), 2u);
  EXPECT_EQ(copy.max(), duration(9ms));

  a.merge(b);
  EXPECT_EQ(a.count(), 4u);
  EXPECT_EQ(a.max(), duration(1s));
  expect_near_relative(a.quantile(0.5), 7ms, 0.02);
}

TEST(lateness_histogram, a_window_since_an_earlier_copy_holds_only_what_came_after) {
  lateness_histogram h;
  for (int i = 0; i < 100; ++i) h.record(50ms);  // a slow start, outside the window
  const lateness_histogram start = h;
  for (int i = 0; i < 99; ++i) h.record(1ms);
  h.record(3ms);
  const auto window = h.since(start);
  EXPECT_EQ(window.count(), 100u);
  expect_near_relative(window.quantile(0.5), 1ms, 0.02);
  expect_near_relative(window.quantile(0.99), 1ms, 0.02);
  expect_near_relative(window.max(), 3ms, 0.04);
  EXPECT_EQ(h.since(h).count(), 0u);
  EXPECT_EQ(h.since(h).max(), duration{0});
}

TEST(tick_shard, bad_options_are_rejected) {
  actors::deterministic_executor exec;
  EXPECT_THROW(shard_pool(exec.executor(), exec.clock(), {.shard = {.max_catch_up = 0}}), std::invalid_argument);
  EXPECT_THROW(shard_pool(exec.executor(), exec.clock(), {.shard = {.budget = 1.5}}), std::invalid_argument);
  EXPECT_THROW(shard_pool(exec.executor(), exec.clock(), {.shard = {.overrun_ticks = 0}}), std::invalid_argument);
  EXPECT_THROW(shard_pool(exec.executor(), exec.clock(), {.shard = {.phase_slots = 0}}), std::invalid_argument);
  EXPECT_THROW(shard_pool(exec.executor(), exec.clock(), {.shard = {.phase_slots = 1001}}), std::invalid_argument);
  EXPECT_THROW(shard_pool(exec.executor(), nullptr, {}), std::invalid_argument);
}

TEST(tick_shard, every_tick_runs_exactly_at_its_absolute_deadline) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1});
  auto player = std::make_shared<recording_player>(*exec.clock());
  pool.attach(player);
  exec.run_for(period * 10'000 - 1ns);  // frames 0 to 9,999

  ASSERT_EQ(player->frames.size(), 10'000u);
  EXPECT_EQ(player->frames, frame_range(0, 9'999));
  for (auto late : player->lateness) ASSERT_EQ(late, duration{0});
  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.frames, 10'000u);
  EXPECT_EQ(stats.total.missed, 0u);
  EXPECT_EQ(stats.total.lateness.max, duration{0});
}

TEST(tick_shard, a_stall_is_caught_up_in_order_without_skipping) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1});
  auto player = std::make_shared<recording_player>(*exec.clock());
  pool.attach(player);
  exec.run_for(80ms);  // frames 0 to 4; the timer waits for frame 5 at 100 ms
  exec.clock()->set(exec.clock()->now() + 200ms);  // the thread was away: the timer fires at 280 ms
  exec.run_for(0ns);

  EXPECT_EQ(player->frames, frame_range(0, 14));
  EXPECT_EQ(player->lateness[5], duration(180ms));
  EXPECT_EQ(player->lateness[14], duration{0});
  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.missed, 0u);
  EXPECT_EQ(stats.total.frames, 15u);
  expect_near_relative(stats.total.lateness.max, 180ms, 0.0);
}

TEST(tick_shard, a_stall_beyond_max_catch_up_skips_the_excess_and_counts_it) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1, .shard = {.max_catch_up = 50}});
  auto player = std::make_shared<recording_player>(*exec.clock());
  auto member = pool.attach(player);
  exec.run_for(0ns);  // frame 0
  exec.clock()->set(3s);  // frames 1 to 150 are due: 150 behind, the oldest 100 are skipped
  exec.run_for(0ns);

  auto expected = frame_range(101, 150);
  expected.insert(expected.begin(), 0);
  EXPECT_EQ(player->frames, expected);
  EXPECT_EQ(member->missed(), 100u);
  EXPECT_EQ(pool.stats().total.missed, 100u);
}

TEST(tick_shard, inactive_members_are_not_ticked_and_an_idle_shard_sets_no_timer) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1});
  auto idle = std::make_shared<recording_player>(*exec.clock(), false);
  auto finishing = std::make_shared<recording_player>(*exec.clock());
  finishing->idle_after_frames = 3;
  pool.attach(idle);
  pool.attach(finishing);
  exec.run_for(200ms);

  EXPECT_TRUE(idle->frames.empty());
  EXPECT_EQ(finishing->frames, frame_range(0, 2));
  EXPECT_FALSE(exec.clock()->next_deadline().has_value());
  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.members, 2u);
  EXPECT_EQ(stats.total.active, 0u);
  EXPECT_EQ(stats.total.load, 0.0);
}

TEST(tick_shard, dispatch_runs_on_the_owner_and_reactivates_at_the_next_frame) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 2});
  auto player = std::make_shared<recording_player>(*exec.clock(), false);
  auto member = pool.attach(player);
  exec.run_for(50ms);
  EXPECT_FALSE(exec.clock()->next_deadline().has_value());

  bool on_owner = false;
  auto move_only = std::make_unique<int>(1);
  pool.dispatch(member, [&, token = std::move(move_only)](tickable& target) {
    on_owner = pool.shard(member->shard_index()).strand().running_in_this_thread() && *token == 1;
    static_cast<recording_player&>(target).set_active(true);
  });
  exec.run_for(40ms);  // 50 -> 90 ms: frames 3 (60 ms) and 4 (80 ms)

  EXPECT_TRUE(on_owner);
  EXPECT_EQ(player->frames, frame_range(3, 4));
  for (auto late : player->lateness) EXPECT_EQ(late, duration{0});
}

TEST(tick_shard, placement_prefers_the_least_loaded_shard_then_the_fewest_members) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 2});
  std::vector<std::shared_ptr<shard_member>> members;
  for (int i = 0; i < 4; ++i) members.push_back(pool.attach(std::make_shared<recording_player>(*exec.clock())));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(members[i]->shard_index(), static_cast<std::size_t>(i % 2));

  actors::deterministic_executor exec2;
  shard_pool loaded(exec2.executor(), exec2.clock(), {.shards = 2});
  auto heavy = std::make_shared<recording_player>(*exec2.clock());
  heavy->burn = 4ms;
  EXPECT_EQ(loaded.attach(heavy)->shard_index(), 0u);
  exec2.run_for(100ms);
  EXPECT_GT(loaded.stats().shards[0].load, 0.1);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(loaded.attach(std::make_shared<recording_player>(*exec2.clock()))->shard_index(), 1u);
  }
}

TEST(tick_shard, an_overrunning_shard_moves_its_costliest_member_without_a_gap_or_a_repeat) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(),
                  {.shards = 2, .shard = {.budget = 0.25, .overrun_ticks = 3}});  // budget 5 ms
  std::vector<std::shared_ptr<recording_player>> players;
  std::vector<std::shared_ptr<shard_member>> members;
  for (int i = 0; i < 4; ++i) {
    players.push_back(std::make_shared<recording_player>(*exec.clock()));
    members.push_back(pool.attach(players.back()));
  }
  // Shard 0 gets players 0 and 2; together they take 6 ms a tick.
  // Players 0 and 1 are due at the start of the period, 2 and 3 one slot (2 ms) later.
  players[0]->burn = 3ms;
  players[2]->burn = 3ms;
  exec.run_for(219ms);

  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.migrations, 1u);
  EXPECT_EQ(stats.shards[0].migrations, 1u);
  EXPECT_NE(members[0]->shard_index(), members[2]->shard_index());
  // The moved member kept its phase on the new shard (whose emptiest slots are others), and its
  // frames went on without a gap, a repeat or a late one.
  for (std::size_t i = 0; i < players.size(); ++i) {
    EXPECT_EQ(players[i]->frames, frame_range(0, 10));
    EXPECT_EQ(phase_of(*players[i]), i < 2 ? duration{0} : duration(2ms));
    for (auto late : players[i]->lateness) EXPECT_EQ(late, duration{0});
  }
  EXPECT_EQ(stats.total.lateness.max, duration{0});

  // Commands follow the moved member to its new owner.
  const auto& moved = members[0]->shard_index() == 1 ? members[0] : members[2];
  bool on_owner = false;
  pool.dispatch(moved, [&](tickable&) { on_owner = pool.shard(1).strand().running_in_this_thread(); });
  exec.run_until_idle();
  EXPECT_TRUE(on_owner);
}

TEST(tick_shard, members_spread_over_the_phase_slots_and_are_ticked_at_their_own_deadlines) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1, .shard = {.phase_slots = 10}});
  std::vector<std::shared_ptr<recording_player>> players;
  for (int i = 0; i < 30; ++i) {
    players.push_back(std::make_shared<recording_player>(*exec.clock()));
    pool.attach(players.back());
  }
  exec.run_for(period * 5 - 1ns);

  // Three members in each 2 ms slot; every frame exactly at its member's deadline.
  std::vector<int> per_slot(10, 0);
  for (const auto& player : players) {
    EXPECT_EQ(player->frames, frame_range(0, 4));
    const duration phase = phase_of(*player);
    ASSERT_EQ(phase % 2ms, duration{0});
    ASSERT_LT(phase, period);
    ++per_slot[static_cast<std::size_t>(phase / 2ms)];
    for (auto late : player->lateness) EXPECT_EQ(late, duration{0});
  }
  EXPECT_EQ(per_slot, std::vector<int>(10, 3));
  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.frames, 150u);
  EXPECT_EQ(stats.total.lateness.max, duration{0});
}

TEST(tick_shard, lateness_is_measured_from_the_members_own_deadline) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1, .shard = {.phase_slots = 2}});
  auto early = std::make_shared<recording_player>(*exec.clock());  // due at 0, 20, 40 ms...
  auto later = std::make_shared<recording_player>(*exec.clock());  // due at 10, 30, 50 ms...
  pool.attach(early);
  pool.attach(later);
  exec.run_for(0ns);  // early's frame 0
  exec.clock()->set(35ms);  // the thread was away: the timer for 10 ms fires at 35 ms
  exec.run_for(0ns);

  EXPECT_EQ(early->frames, frame_range(0, 1));
  EXPECT_EQ(later->frames, frame_range(0, 1));
  EXPECT_EQ(later->deadlines, (std::vector<actors::clock::time_point>{10ms, 30ms}));
  EXPECT_EQ(early->lateness, (std::vector<duration>{0ms, 15ms}));
  EXPECT_EQ(later->lateness, (std::vector<duration>{25ms, 5ms}));
  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.lateness.max, duration(25ms));  // not 35 ms after frame 0's clock deadline
  EXPECT_EQ(stats.total.missed, 0u);
  // The next wake is early's frame 2 at 40 ms, then later's at 50 ms.
  EXPECT_EQ(exec.clock()->next_deadline(), std::optional<actors::clock::time_point>(40ms));
  exec.run_for(10ms);
  EXPECT_EQ(early->frames, frame_range(0, 2));
  EXPECT_EQ(later->frames, frame_range(0, 1));
  EXPECT_EQ(exec.clock()->next_deadline(), std::optional<actors::clock::time_point>(50ms));
}

TEST(tick_shard, detach_stops_ticks_and_drops_later_commands) {
  actors::deterministic_executor exec;
  shard_pool pool(exec.executor(), exec.clock(), {.shards = 1});
  auto player = std::make_shared<recording_player>(*exec.clock());
  auto parked = std::make_shared<recording_player>(*exec.clock(), false);
  auto member = pool.attach(player);
  auto parked_member = pool.attach(parked);
  exec.run_for(40ms);  // frames 0 to 2
  pool.detach(member);
  pool.detach(parked_member);
  bool ran = false;
  pool.dispatch(member, [&](tickable&) { ran = true; });
  exec.run_for(100ms);

  EXPECT_EQ(player->frames, frame_range(0, 2));
  EXPECT_FALSE(ran);
  EXPECT_FALSE(exec.clock()->next_deadline().has_value());
  EXPECT_EQ(pool.stats().total.members, 0u);
  EXPECT_EQ(player.use_count(), 1);  // the shard let go of it
}

TEST(tick_shard, real_clock_two_threads_two_shards_many_members_miss_nothing) {
  boost::asio::thread_pool threads(2);
  auto clock = std::make_shared<actors::real_clock>();
  shard_pool pool(threads.get_executor(), clock, {.shards = 2});
  std::vector<std::shared_ptr<recording_player>> players;
  for (int i = 0; i < 200; ++i) {
    players.push_back(std::make_shared<recording_player>(*clock));
    pool.attach(players.back());
  }
  std::this_thread::sleep_for(500ms);
  pool.stop();

  const auto stats = pool.stats();
  EXPECT_EQ(stats.total.missed, 0u);
  EXPECT_EQ(stats.total.members, 200u);
  std::vector<std::size_t> counts;
  for (const auto& player : players) {
    EXPECT_GE(player->frames.size(), 15u);
    expect_continuous(player->frames);
    counts.push_back(player->frames.size());
  }
  EXPECT_EQ(stats.total.frames, std::accumulate(counts.begin(), counts.end(), std::size_t{0}));
  std::this_thread::sleep_for(3 * period);
  for (std::size_t i = 0; i < players.size(); ++i) EXPECT_EQ(players[i]->frames.size(), counts[i]);
}

}  // namespace
}  // namespace spence::engine
