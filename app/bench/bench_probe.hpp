#pragma once
// Measuring instruments shared by the benchmarks: a completion probe with per-lap latencies, a
// process CPU meter and a heap/RSS meter.

#include <boost/json/object.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <future>
#include <vector>

namespace spence::app::bench {

// Counts events until a target, records laps (round-trip times), and times the whole run.
class probe {
 public:
  explicit probe(std::uint64_t target) : target_(target) {}

  void reserve_laps(std::size_t n) { laps_.reserve(n); }
  void start();
  // Called by one thread at a time (the measuring actor's strand).
  void lap();
  void count_one() {
    if (counted_.fetch_add(1, std::memory_order_relaxed) + 1 == target_) finish();
  }
  void finish();
  void wait() { done_.get_future().wait(); }
  std::uint64_t counted() const { return counted_.load(std::memory_order_relaxed); }

  // {per_second, p50_us, p99_us, max_us} of the laps.
  boost::json::object round_trip_report() const;
  // {messages, seconds, per_second}.
  boost::json::object throughput_report() const;

 private:
  double elapsed_seconds() const;

  const std::uint64_t target_;
  std::atomic<std::uint64_t> counted_{0};
  std::chrono::steady_clock::time_point started_, finished_, last_lap_;
  std::vector<std::uint32_t> laps_;  // nanoseconds
  std::promise<void> done_;
};

// Process CPU time (user + system) over wall time since construction.
class cpu_meter {
 public:
  cpu_meter();
  // {seconds, cpu_percent, messages, messages_per_second}
  boost::json::object report(std::uint64_t messages) const;

 private:
  std::chrono::steady_clock::time_point wall_start_;
  double cpu_start_;
};

// Heap bytes in use (mallinfo2) and resident set size since construction.
class memory_meter {
 public:
  memory_meter();
  // {count, heap_bytes_each, rss_bytes_each}
  boost::json::object report(std::uint64_t count) const;

 private:
  std::size_t heap_start_;
  std::size_t rss_start_;
};

}  // namespace spence::app::bench
