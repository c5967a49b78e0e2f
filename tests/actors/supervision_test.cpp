#include "actors/supervision.hpp"
#include "actors/metrics.hpp"

#include <gtest/gtest.h>

namespace spence::actors {
namespace {

using namespace std::chrono_literals;

TEST(restart_window, admits_up_to_the_limit_within_the_window) {
  supervision policy{supervision::strategy::restart, 2, 10s};
  restart_window w;
  EXPECT_TRUE(w.admit(policy, clock::time_point{0s}));
  EXPECT_TRUE(w.admit(policy, clock::time_point{1s}));
  EXPECT_FALSE(w.admit(policy, clock::time_point{2s}));
  EXPECT_TRUE(w.admit(policy, clock::time_point{10s}));  // the first one left the window
  EXPECT_EQ(w.total(), 3u);
}

TEST(latency_histogram, quantiles_are_bucket_upper_bounds) {
  latency_histogram h;
  for (int i = 0; i < 99; ++i) h.record(1000);  // bucket [512, 1024)
  h.record(1'000'000);                           // bucket [2^19, 2^20)
  auto counts = h.counts();
  EXPECT_EQ(latency_histogram::quantile_ns(counts, 0.5), 1023u);
  EXPECT_EQ(latency_histogram::quantile_ns(counts, 0.99), 1023u);
  EXPECT_EQ(latency_histogram::quantile_ns(counts, 1.0), (1u << 20) - 1);
  EXPECT_EQ(latency_histogram::quantile_ns(latency_histogram{}.counts(), 0.5), 0u);
}

}  // namespace
}  // namespace spence::actors
