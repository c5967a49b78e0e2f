#pragma once
// Per-actor counters, readable from any thread while the actor runs. A snapshot of them feeds
// /metrics and the stats endpoints.

#include <boost/describe/class.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <string>

namespace spence::actors {

// Handler durations in power-of-two nanosecond buckets: bucket b counts durations in
// [2^b, 2^(b+1)) ns; the last bucket also takes everything longer (~2 s and up).
// Written by one thread at a time (the actor's strand), read by anyone.
class latency_histogram {
 public:
  static constexpr std::size_t buckets = 32;

  void record(std::uint64_t nanos) {
    auto& b = counts_[bucket_of(nanos)];
    b.store(b.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  std::array<std::uint32_t, buckets> counts() const;
  // Upper bound of the bucket holding quantile q (0 < q <= 1); 0 when empty.
  static std::uint64_t quantile_ns(const std::array<std::uint32_t, buckets>& counts, double q);

 private:
  static std::size_t bucket_of(std::uint64_t nanos) {
    std::size_t b = nanos == 0 ? 0 : 63 - static_cast<std::size_t>(__builtin_clzll(nanos));
    return b < buckets ? b : buckets - 1;
  }
  std::array<std::atomic<std::uint32_t>, buckets> counts_{};
};

struct actor_metrics {
  std::string name;
  std::string kind;
  std::uint64_t mailbox_depth = 0;
  std::uint64_t mailbox_high_water = 0;
  std::uint64_t mailbox_capacity = 0;
  std::uint64_t processed = 0;
  std::uint64_t dropped = 0;
  std::uint64_t restarts = 0;
  std::uint64_t handler_p50_ns = 0;
  std::uint64_t handler_p99_ns = 0;
  std::uint64_t handler_max_ns = 0;
};
BOOST_DESCRIBE_STRUCT(actor_metrics, (),
                      (name, kind, mailbox_depth, mailbox_high_water, mailbox_capacity, processed, dropped,
                       restarts, handler_p50_ns, handler_p99_ns, handler_max_ns))

}  // namespace spence::actors
