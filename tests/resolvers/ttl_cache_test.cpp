// The resolvers' cache with time passed in: hits and misses, expiry, least-recently-used eviction
// under the entry and byte bounds, replacement, and the counters the stats show.

#include "resolvers/ttl_cache.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

using namespace std::chrono_literals;
const actors::clock::time_point t0{};

TEST(ttl_cache, AHitUntilItExpiresThenAMiss) {
  ttl_cache<std::string> cache;
  cache.put("a", "first", 5, 10s, t0);
  EXPECT_EQ(cache.get("a", t0 + 9s), "first");
  EXPECT_EQ(cache.get("a", t0 + 10s), std::nullopt);  // expired: gone
  EXPECT_EQ(cache.get("a", t0), std::nullopt);        // even for an earlier clock reading
  EXPECT_EQ(cache.get("b", t0), std::nullopt);
  const auto stats = cache.stats();
  EXPECT_EQ(stats.hits, 1u);
  EXPECT_EQ(stats.misses, 3u);
  EXPECT_EQ(stats.expired, 1u);
  EXPECT_EQ(stats.entries, 0u);
  EXPECT_EQ(stats.bytes, 0u);
}

TEST(ttl_cache, TheLeastRecentlyUsedGoesAtTheEntryBound) {
  ttl_cache<int> cache({.max_entries = 2, .max_bytes = 1000});
  cache.put("a", 1, 1, 1h, t0);
  cache.put("b", 2, 1, 1h, t0);
  EXPECT_EQ(cache.get("a", t0), 1);  // a is now the most recently used
  cache.put("c", 3, 1, 1h, t0);
  EXPECT_EQ(cache.get("b", t0), std::nullopt);
  EXPECT_EQ(cache.get("a", t0), 1);
  EXPECT_EQ(cache.get("c", t0), 3);
  EXPECT_EQ(cache.stats().evicted, 1u);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(ttl_cache, EntriesGoUntilANewOneFitsTheByteBound) {
  ttl_cache<int> cache({.max_entries = 100, .max_bytes = 100});
  cache.put("a", 1, 40, 1h, t0);
  cache.put("b", 2, 40, 1h, t0);
  cache.put("c", 3, 50, 1h, t0);  // a must go; b and c make 90
  EXPECT_EQ(cache.get("a", t0), std::nullopt);
  EXPECT_EQ(cache.get("b", t0), 2);
  EXPECT_EQ(cache.stats().bytes, 90u);
  cache.put("huge", 4, 101, 1h, t0);  // heavier than the whole bound: not stored, nothing evicted
  EXPECT_EQ(cache.get("huge", t0), std::nullopt);
  EXPECT_EQ(cache.stats().entries, 2u);
}

TEST(ttl_cache, PuttingAKeyAgainReplacesItsValueSizeAndLifetime) {
  ttl_cache<int> cache;
  cache.put("a", 1, 10, 1s, t0);
  cache.put("a", 2, 30, 1h, t0);
  EXPECT_EQ(cache.get("a", t0 + 10min), 2);
  EXPECT_EQ(cache.stats().bytes, 30u);
  EXPECT_EQ(cache.stats().entries, 1u);
  cache.put("a", 3, 10, 0s, t0);  // no lifetime: removed rather than stored
  EXPECT_EQ(cache.get("a", t0), std::nullopt);
  EXPECT_EQ(cache.stats().bytes, 0u);
}

TEST(ttl_cache, AForgottenKeyIsGoneWithItsBytes) {
  ttl_cache<int> cache;
  cache.put("a", 1, 10, 1h, t0);
  cache.put("b", 2, 20, 1h, t0);
  cache.forget("a");
  cache.forget("never there");
  EXPECT_EQ(cache.get("a", t0), std::nullopt);
  EXPECT_EQ(cache.get("b", t0), 2);
  EXPECT_EQ(cache.stats().bytes, 20u);
  EXPECT_EQ(cache.stats().entries, 1u);
}

}  // namespace
}  // namespace spence::resolvers
