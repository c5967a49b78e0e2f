#pragma once
// How late frames go, and how long ticks take: durations in nanoseconds counted in log-linear
// buckets (32 linear steps per power of two), so any quantile is known to within 1/64 (~1.6%) of
// its value from 1 µs to 10 s and beyond (the last bucket starts at 2^40 ns, ~18 minutes).
//
// One writer at a time (the tick shard's strand) records; anyone may read at any time, either
// directly or through a copy, which is a snapshot. Buckets are relaxed atomics, so recording costs
// a few plain loads and stores and never allocates; a reader racing the writer may see the count a
// record ahead of the buckets, never torn values.

#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace spence::engine {

class lateness_histogram {
 public:
  using duration = std::chrono::nanoseconds;

  static constexpr unsigned sub_bucket_bits = 5;
  static constexpr std::size_t sub_buckets = std::size_t{1} << sub_bucket_bits;  // per power of two
  static constexpr unsigned max_exponent = 40;  // values from 2^40 ns share the last bucket
  static constexpr std::size_t bucket_count = (max_exponent - sub_bucket_bits + 1) * sub_buckets;

  lateness_histogram() = default;
  lateness_histogram(const lateness_histogram& other) noexcept { copy_from(other); }
  lateness_histogram& operator=(const lateness_histogram& other) noexcept {
    if (this != &other) copy_from(other);
    return *this;
  }

  // A negative duration (a frame produced before its deadline) counts as 0: early is on time.
  void record(duration d) noexcept;
  // Adds `other`'s counts to these (this histogram's writer only).
  void merge(const lateness_histogram& other) noexcept;
  // What was recorded after `earlier`, an earlier copy of this histogram (a measuring window). Its
  // max is the top of the highest bucket recorded in the window, capped at this one's max.
  lateness_histogram since(const lateness_histogram& earlier) const noexcept;

  std::uint64_t count() const noexcept { return count_.load(std::memory_order_relaxed); }
  duration max() const noexcept { return duration{max_.load(std::memory_order_relaxed)}; }
  // The value at quantile q (0..1): the middle of the bucket holding it, never above max();
  // 0 when empty.
  duration quantile(double q) const noexcept;

  struct summary {
    duration p50{0};
    duration p99{0};
    duration max{0};
  };
  summary summarize() const noexcept { return {quantile(0.5), quantile(0.99), max()}; }

 private:
  static std::size_t bucket_of(std::uint64_t nanos) noexcept;
  static std::uint64_t bucket_start(std::size_t bucket) noexcept;
  static std::uint64_t bucket_width(std::size_t bucket) noexcept;
  void copy_from(const lateness_histogram& other) noexcept;

  std::array<std::atomic<std::uint64_t>, bucket_count> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::int64_t> max_{0};
};

}  // namespace spence::engine
