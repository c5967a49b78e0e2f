#pragma once
// The injected clock. Production uses steady_clock; tests and replay use a virtual clock whose
// time moves only when told, so that timer-driven behaviour is reproducible.

#include <boost/asio/any_io_executor.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

namespace spence::actors {

// Shared between a scheduled timer and whoever may cancel it.
class timer_handle {
 public:
  timer_handle() = default;
  // `release` frees what the clock holds for the timer (say, an Asio timer a loop waits on).
  explicit timer_handle(std::shared_ptr<std::atomic<bool>> cancelled, std::function<void()> release = {})
      : cancelled_(std::move(cancelled)), release_(std::move(release)) {}
  // After cancel() the callback never runs (a callback already running is not interrupted).
  void cancel() const {
    if (!cancelled_ || cancelled_->exchange(true, std::memory_order_acq_rel)) return;
    if (release_) release_();
  }
  bool cancelled() const { return cancelled_ && cancelled_->load(std::memory_order_acquire); }

 private:
  std::shared_ptr<std::atomic<bool>> cancelled_;
  std::function<void()> release_;
};

class clock {
 public:
  using duration = std::chrono::nanoseconds;
  using time_point = std::chrono::nanoseconds;  // since the clock's own epoch

  virtual ~clock() = default;
  virtual time_point now() const = 0;
  // Posts `fn` to `ex` once `deadline` has passed, unless the handle is cancelled first.
  virtual timer_handle schedule(time_point deadline, boost::asio::any_io_executor ex,
                                std::function<void()> fn) = 0;
};

// steady_clock time and Asio timers.
class real_clock final : public clock {
 public:
  time_point now() const override;
  timer_handle schedule(time_point deadline, boost::asio::any_io_executor ex,
                        std::function<void()> fn) override;
};

// Time stands still until advance_to(), which posts every timer due by then in deadline order
// (ties in scheduling order). deterministic_executor steps from deadline to deadline, so each
// timer's callback runs with now() equal to its own deadline.
class virtual_clock final : public clock {
 public:
  explicit virtual_clock(time_point start = time_point{0}) : now_(start.count()) {}

  time_point now() const override { return time_point{now_.load(std::memory_order_acquire)}; }
  timer_handle schedule(time_point deadline, boost::asio::any_io_executor ex,
                        std::function<void()> fn) override;

  // Earliest pending (not cancelled) deadline, if any.
  std::optional<time_point> next_deadline();
  // Moves time to `t` (never backwards) and posts every timer due by then. Returns how many.
  std::size_t advance_to(time_point t);
  // Sets the time without firing timers: replay uses it to reproduce recorded readings.
  void set(time_point t) { now_.store(t.count(), std::memory_order_release); }

 private:
  struct pending {
    boost::asio::any_io_executor ex;
    std::function<void()> fn;
    std::shared_ptr<std::atomic<bool>> cancelled;
  };
  std::atomic<std::int64_t> now_;
  std::mutex mutex_;
  std::multimap<time_point, pending> timers_;
};

}  // namespace spence::actors
