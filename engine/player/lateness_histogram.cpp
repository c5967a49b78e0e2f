#include "engine/player/lateness_histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace spence::engine {
namespace {

// Single writer: a relaxed load and store, no locked read-modify-write.
template <class T>
void add(std::atomic<T>& counter, T amount) noexcept {
  counter.store(counter.load(std::memory_order_relaxed) + amount, std::memory_order_relaxed);
}

}  // namespace

// Values below 2 * sub_buckets have a bucket each. Above, a value with highest bit e falls in
// group e - sub_bucket_bits, whose sub_buckets buckets each span 2^(e - sub_bucket_bits) ns.
std::size_t lateness_histogram::bucket_of(std::uint64_t nanos) noexcept {
  if (nanos < sub_buckets) return static_cast<std::size_t>(nanos);
  const unsigned exponent = static_cast<unsigned>(std::bit_width(nanos)) - 1;
  if (exponent >= max_exponent) return bucket_count - 1;
  const unsigned group = exponent - sub_bucket_bits;
  return group * sub_buckets + static_cast<std::size_t>(nanos >> group);
}

std::uint64_t lateness_histogram::bucket_start(std::size_t bucket) noexcept {
  if (bucket < sub_buckets) return bucket;
  const std::size_t group = bucket / sub_buckets - 1;
  return static_cast<std::uint64_t>(bucket % sub_buckets + sub_buckets) << group;
}

std::uint64_t lateness_histogram::bucket_width(std::size_t bucket) noexcept {
  return bucket < sub_buckets ? 1 : std::uint64_t{1} << (bucket / sub_buckets - 1);
}

void lateness_histogram::record(duration d) noexcept {
  const std::int64_t nanos = std::max<std::int64_t>(d.count(), 0);
  add(buckets_[bucket_of(static_cast<std::uint64_t>(nanos))], std::uint64_t{1});
  add(count_, std::uint64_t{1});
  if (nanos > max_.load(std::memory_order_relaxed)) max_.store(nanos, std::memory_order_relaxed);
}

void lateness_histogram::merge(const lateness_histogram& other) noexcept {
  for (std::size_t b = 0; b < bucket_count; ++b) {
    if (const auto n = other.buckets_[b].load(std::memory_order_relaxed)) add(buckets_[b], n);
  }
  add(count_, other.count());
  if (other.max() > max()) max_.store(other.max().count(), std::memory_order_relaxed);
}

lateness_histogram lateness_histogram::since(const lateness_histogram& earlier) const noexcept {
  lateness_histogram window;
  std::uint64_t total = 0, top = 0;
  for (std::size_t b = 0; b < bucket_count; ++b) {
    const auto now = buckets_[b].load(std::memory_order_relaxed);
    const auto before = earlier.buckets_[b].load(std::memory_order_relaxed);
    if (now <= before) continue;
    window.buckets_[b].store(now - before, std::memory_order_relaxed);
    total += now - before;
    top = bucket_start(b) + bucket_width(b);
  }
  window.count_.store(total, std::memory_order_relaxed);
  window.max_.store(std::min<std::int64_t>(static_cast<std::int64_t>(top), max().count()), std::memory_order_relaxed);
  return window;
}

lateness_histogram::duration lateness_histogram::quantile(double q) const noexcept {
  const std::uint64_t total = count();
  if (total == 0) return duration{0};
  const auto rank = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(std::ceil(std::clamp(q, 0.0, 1.0) * static_cast<double>(total))));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < bucket_count; ++b) {
    seen += buckets_[b].load(std::memory_order_relaxed);
    if (seen >= rank) {
      const auto middle = static_cast<std::int64_t>(bucket_start(b) + bucket_width(b) / 2);
      return std::min(duration{middle}, max());
    }
  }
  return max();  // a concurrent record counted but not yet in its bucket
}

void lateness_histogram::copy_from(const lateness_histogram& other) noexcept {
  for (std::size_t b = 0; b < bucket_count; ++b) {
    buckets_[b].store(other.buckets_[b].load(std::memory_order_relaxed), std::memory_order_relaxed);
  }
  count_.store(other.count(), std::memory_order_relaxed);
  max_.store(other.max().count(), std::memory_order_relaxed);
}

}  // namespace spence::engine
