#pragma once
// A tick shard: one strand and one timer that produce the 20 ms frames of many players. The timer
// is set at the absolute deadline of the next frame (frame_clock), so the schedule never drifts;
// each wake produces, in order, every frame that is due for every active member. Under overload
// frames go late, never missing or reordered; a member more than max_catch_up frames behind (a
// stall of a second by default) skips the excess, counted as missed. Lateness (the clock after the
// member's tick minus the frame's deadline) and tick durations are measured and reported.
//
// Members carry their own next frame, so one that moves between shards (which may be slightly
// out of phase) is never ticked twice for a frame nor skips one. Inactive members cost nothing: the
// tick loop walks a dense vector of active members only, and a shard with none sets no timer.
//
// Tick path cost per member and frame: two virtual calls (tick, active), one clock reading, one
// steady_clock reading and a histogram record; no allocation, no lock, no std::function.

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
  unsigned overrun_ticks = 3;       // consecutive overruns before the costliest member moves away
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
  double load = 0;  // moving average of tick duration / period
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
  bool started_ = false;   // next_frame_ has been set by a first shard
  std::uint64_t next_frame_ = 0;
  std::int64_t cost_ns_ = 0;  // moving average of tick() durations, steady_clock
  std::size_t member_index_ = nowhere;
  std::size_t active_index_ = nowhere;
  std::vector<member_command> early_commands_;  // arrived before the member did
};

class tick_shard : public std::enable_shared_from_this<tick_shard> {
 public:
  using strand_type = boost::asio::strand<boost::asio::any_io_executor>;
  // Where an overrunning shard should move a member needing `member_load` (a share of the period);
  // null to keep it. Called on the overrunning shard's strand.
  using rehome_fn = std::function<std::shared_ptr<tick_shard>(const tick_shard& from, double member_load)>;

  // Throws std::invalid_argument for max_catch_up == 0, a budget outside (0, 1] or overrun_ticks == 0.
  tick_shard(std::size_t index, const boost::asio::any_io_executor& executor,
             std::shared_ptr<actors::clock> clock, frame_clock frames, tick_shard_options options = {},
             rehome_fn rehome = {});

  std::size_t index() const noexcept { return index_; }
  const strand_type& strand() const noexcept { return strand_; }
  std::chrono::nanoseconds budget() const noexcept { return budget_; }

  // Any thread. Makes this shard the member's owner; the member keeps its next frame, or starts at
  // the first frame due at or after now if it is new.
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
  lateness_histogram lateness() const { return lateness_; }
  lateness_histogram tick_durations() const { return tick_durations_; }
  tick_shard_stats stats() const;

 private:
  class busy_guard;

  void wake();
  void insert(std::shared_ptr<shard_member> member);
  void run_command(std::shared_ptr<shard_member> member, member_command command);
  // Produces the member's due frames; false if it went inactive.
  bool produce(shard_member& member, std::uint64_t due_end, std::chrono::steady_clock::time_point& mark);
  void refresh(shard_member& member);
  void park(shard_member& member);
  std::shared_ptr<shard_member> remove(shard_member& member);
  void shed_costliest();
  void arm(actors::clock::time_point deadline);
  void disarm();

  const std::size_t index_;
  strand_type strand_;
  std::shared_ptr<actors::clock> clock_;
  const frame_clock frames_;
  const tick_shard_options options_;
  const std::chrono::nanoseconds budget_;
  const rehome_fn rehome_;

  // Strand state.
  std::vector<std::shared_ptr<shard_member>> members_;
  std::vector<shard_member*> active_;
  actors::timer_handle timer_;
  bool armed_ = false;
  actors::clock::time_point armed_deadline_{0};
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
