#include "actors/metrics.hpp"

namespace spence::actors {

std::array<std::uint32_t, latency_histogram::buckets> latency_histogram::counts() const {
  std::array<std::uint32_t, buckets> out{};
  for (std::size_t i = 0; i < buckets; ++i) out[i] = counts_[i].load(std::memory_order_relaxed);
  return out;
}

std::uint64_t latency_histogram::quantile_ns(const std::array<std::uint32_t, buckets>& counts, double q) {
  std::uint64_t total = 0;
  for (auto c : counts) total += c;
  if (total == 0) return 0;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(total));
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets; ++i) {
    seen += counts[i];
    if (seen >= rank) return (std::uint64_t{1} << (i + 1)) - 1;
  }
  return (std::uint64_t{1} << buckets) - 1;
}

}  // namespace spence::actors
