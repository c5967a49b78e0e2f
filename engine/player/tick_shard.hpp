#pragma once
// A tick shard: one strand and one timer that produce the 20 ms frames of many players.
//
// The period is split into phase_slots equal slots and every member gets one of them as its phase
// when it is first placed (the slot whose members cost least so far, then the one with fewest):
// the member's frame n is due at frames.deadline(n) + phase. Spreading members over the period
// keeps each wake short, so a member waits for the members ahead of it in its slot, not for the
// whole shard. The timer is set at the absolute deadline of the next slot with a member due
// (frame_clock), so the schedule never drifts; each wake produces, in order, every frame that is
// due for every active member of the slots that are due. Under overload frames go late, never
// missing or reordered; a member more than max_catch_up frames behind (a stall of a second by
// default) skips the excess, counted as missed. Lateness (the clock after the member's tick minus
// the member's own deadline) and tick durations (one slot's wake) are measured and reported.
//
// Members carry their own next frame and their phase, so one that moves between shards is never
// ticked twice for a frame nor skips one, and keeps its place in the period (the shards of a pool
// share one slot grid). Inactive members cost nothing: a slot's tick loop walks a dense vector of
// its active members only, and a shard with none sets no timer.
//
// Tick path cost per member and frame: three virtual calls (prefetch, tick, active), one clock
// reading, one steady_clock reading and a histogram record; no allocation, no lock, no
// std::function. At thousands of members the cost is mostly cache misses (each member's state,
// player and reader live in their own lines), so the loop prefetches them a few members ahead.

#include "actors/clock.hpp"
#include "engine/player/frame_clock.hpp"
#include "engine/player/lateness_histogram.hpp"
#include "engine/player/tickable.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>

#include <atomic>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <type_traits>
#include <vector>

namespace spence::engine {

struct tick_shard_options {
  std::uint64_t max_catch_up = 50;  // frames a member may be behind before the excess is skipped
  double budget = 0.9;              // share of the period a tick may take before it counts as overrun
  unsigned overrun_ticks = 3;       // consecutive overrun periods before the costliest member moves away
  std::size_t phase_slots = 10;     // members spread over this many phases of the period (2 ms each)
};

// A command for one member, run on the strand of the shard that owns it. May be move-only.
class member_command {
 public:
  template <class F>
    requires(!std::same_as<std::remove_cvref_t<F>, member_command> && std::invocable<F&, tickable&>)
  member_command(F fn)  // NOLINT(google-explicit-constructor): any callable converts
      : impl_(std::make_unique<model<F>>(std::move(fn))) {}

  void operator()(tickable& target) { impl_->run(target); }

 private:
  struct callable {
    virtual ~callable() = default;
    virtual void run(tickable& target) = 0;
  };
  template <class F>
  struct model final : callable {
    explicit model(F f) : fn(std::move(f)) {}
    void run(tickable& target) override { fn(target); }
    F fn;
  };
  std::unique_ptr<callable> impl_;
};

class tick_shard;

struct tick_shard_stats {
  std::size_t members = 0;
  std::size_t active = 0;
  double load = 0;  // moving average of busy time per period / period
  std::uint64_t frames = 0;
  std::uint64_t missed = 0;
  std::uint64_t migrations = 0;  // members moved away because of overruns
  lateness_histogram::summary tick_duration;
  lateness_histogram::summary lateness;
};

// A tickable's place in the shards, and the handle its owner keeps. State other than the atomics
// belongs to the strand of the shard that owns the member; a move hands it over through a post.
class shard_member {
 public:
  explicit shard_member(std::shared_ptr<tickable> target) : target_(std::move(target)) {}

  // Index of the shard that owns the member now (it may move at any time).
  std::size_t shard_index() const noexcept;
  // Frames skipped because the member was more than max_catch_up frames behind.
  std::uint64_t missed() const noexcept { return missed_.load(std::memory_order_relaxed); }

 private:
  friend class tick_shard;
  static constexpr std::size_t nowhere = static_cast<std::size_t>(-1);

  std::shared_ptr<tickable> target_;
  std::atomic<tick_shard*> owner_{nullptr};
  std::atomic<bool> detach_requested_{false};
  std::atomic<std::uint64_t> missed_{0};
  bool resident_ = false;  // inserted in its owner (false while moving between shards)
  bool started_ = false;   // next_frame_ and phase_slot_ have been set by a first shard
  std::uint64_t next_frame_ = 0;
  std::size_t phase_slot_ = nowhere;  // its phase: slot * period / phase_slots
  std::int64_t cost_ns_ = 0;  // moving average of tick() durations, steady_clock
  std::size_t member_index_ = nowhere;
  std::size_t active_index_ = nowhere;  // in its slot's active members
  std::vector<member_command> early_commands_;  // arrived before the member did
};

class tick_shard : public std::enable_shared_from_this<tick_shard> {
 public:
  using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
  // Where an overrunning shard should move a member needing `member_load` (a share of the period);
  // null to keep it. Called on the overrunning shard's strand.
  using rehome_fn = std::function<std::shared_ptr<tick_shard>(const tick_shard& from, double member_load)>;

  // Throws std::invalid_argument for max_catch_up == 0, a budget outside (0, 1], overrun_ticks == 0
  // or phase_slots outside [1, 1000].
  tick_shard(std::size_t index, const boost::asio::any_io_executor& executor,
             std::shared_ptr<actors::clock> clock, frame_clock frames, tick_shard_options options = {},
             rehome_fn rehome = {});

  std::size_t index() const noexcept { return index_; }
  const strand_type& strand() const noexcept { return strand_; }
  std::chrono::nanoseconds budget() const noexcept { return budget_; }
  std::size_t phase_slots() const noexcept { return slots_.size(); }

  // Any thread. Makes this shard the member's owner; the member keeps its phase and next frame, or,
  // if it is new, gets a phase here and starts at the first frame due (at its phase) at or after now.
  void adopt(std::shared_ptr<shard_member> member);
  // Any thread. Runs `command` on the member's owner (following moves), then parks or unparks the
  // member according to active(). Dropped once the member is detached.
  static void dispatch(std::shared_ptr<shard_member> member, member_command command);
  // Any thread. No tick starts on the member after this returns, nor any command.
  static void detach(std::shared_ptr<shard_member> member);
  // From outside this shard's strand. Cancels the timer; once it returns nothing runs here.
  void stop();

  // Readings, any thread.
  double load() const noexcept { return load_.load(std::memory_order_relaxed); }
  // load() plus the estimated load of members placed here since the last tick measured them.
  double projected_load() const noexcept;
  // Active members plus those placed here and not yet inserted.
  std::size_t expected_active() const noexcept;
  // Members, active or parked, plus those placed here and not yet inserted.
  std::size_t expected_members() const noexcept;
  lateness_histogram lateness() const { return lateness_; }
  lateness_histogram tick_durations() const { return tick_durations_; }
  tick_shard_stats stats() const;

 private:
  class busy_guard;

  // The members of one phase. next_frame and the busy time mean something only while some member
  // is active.
  // An active member, with its tickable at hand so that prefetching it needs no load from the
  // member (which may still be on its way into the cache).
  struct active_member {
    shard_member* member;
    tickable* target;
  };
  struct phase_slot {
    std::vector<active_member> active;
    std::uint64_t next_frame = 0;  // no active member of the slot has an earlier frame to produce
    std::int64_t busy_ns = 0;      // the duration of the slot's last tick
    std::int64_t cost_ns = 0;      // sum of its resident members' cost_ns_
    std::size_t members = 0;       // resident members, active or parked
  };

  void wake();
  // Ticks the slot's due members up to, excluding, frame `due_end`.
  void tick_slot(phase_slot& slot, actors::clock::duration phase, std::uint64_t due_end,
                 std::chrono::steady_clock::time_point& mark);
  static void prefetch_ahead(const phase_slot& slot, std::size_t i) noexcept;
  void insert(std::shared_ptr<shard_member> member);
  void run_command(std::shared_ptr<shard_member> member, member_command command);
  // Produces the member's due frames; false if it went inactive.
  bool produce(shard_member& member, phase_slot& slot, actors::clock::duration phase, std::uint64_t due_end,
               std::chrono::steady_clock::time_point& mark);
  actors::clock::duration phase_of(std::size_t slot) const noexcept { return slot_length_ * static_cast<std::int64_t>(slot); }
  // The slot a new member joins: the cheapest, then the emptiest.
  std::size_t lightest_slot() const;
  // When the slot's next frame is due.
  actors::clock::time_point due_time(std::size_t slot) const noexcept;
  void refresh(shard_member& member);
  void park(shard_member& member);
  std::shared_ptr<shard_member> remove(shard_member& member);
  // Once per period: the load, and an overrun after overrun_ticks busy periods in a row.
  void account_period(actors::clock::time_point now);
  void shed_costliest();
  void arm(actors::clock::time_point deadline);
  // Sets the timer at the next slot with an active member, if any.
  void arm_next();
  void disarm();

  const std::size_t index_;
  strand_type strand_;
  std::shared_ptr<actors::clock> clock_;
  const frame_clock frames_;
  const tick_shard_options options_;
  const std::chrono::nanoseconds budget_;
  const actors::clock::duration slot_length_;
  const rehome_fn rehome_;

  // Strand state.
  std::vector<std::shared_ptr<shard_member>> members_;
  std::vector<phase_slot> slots_;
  actors::timer_handle timer_;
  bool armed_ = false;
  actors::clock::time_point armed_deadline_{0};
  std::uint64_t accounted_period_ = 0;  // the frame period account_period() last ran in
  unsigned overruns_ = 0;

  // Written on the strand, read anywhere.
  std::atomic<std::size_t> member_count_{0};
  std::atomic<std::size_t> active_count_{0};
  std::atomic<double> load_{0};
  std::atomic<std::uint64_t> frames_produced_{0};
  std::atomic<std::uint64_t> missed_{0};
  std::atomic<std::uint64_t> migrations_{0};
  lateness_histogram lateness_;
  lateness_histogram tick_durations_;

  // Written by whoever places a member here.
  std::atomic<double> incoming_load_{0};
  std::atomic<std::size_t> incoming_{0};

  // stop() against handlers running on other threads.
  std::atomic<bool> stopped_{false};
  std::atomic<bool> busy_{false};
};

}  // namespace spence::engine
