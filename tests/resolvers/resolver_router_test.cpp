// The router on a live runtime with the real local-file resolver (its opener counted, and gated
// where a test needs a resolution to stay in flight): cache hits, identical concurrent lookups
// sharing one resolution, brief negative caching, the in-flight bound, and refusals with reasons.

#include "resolvers/resolver_router.hpp"

#include "engine/file_source.hpp"
#include "resolvers/probed_media_resolver.hpp"

#include "tests/engine/core/synthetic_media.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <future>

namespace spence::resolvers {
namespace {

namespace fs = std::filesystem;
namespace lavalink = net::lavalink;
using namespace std::chrono_literals;
using kind = lavalink::load_result::kind;

// Opens files for real, counting the opens; while closed, opens wait for the gate.
class counted_opener {
 public:
  std::unique_ptr<engine::byte_source> open(const std::string& path) {
    ++opens;
    std::unique_lock lock(mutex_);
    open_.wait(lock, [this] { return gate_open_; });
    return std::make_unique<engine::file_source>(path);
  }
  void close_gate() {
    std::lock_guard lock(mutex_);
    gate_open_ = false;
  }
  void open_gate() {
    {
      std::lock_guard lock(mutex_);
      gate_open_ = true;
    }
    open_.notify_all();
  }
  std::atomic<int> opens{0};

 private:
  std::mutex mutex_;
  std::condition_variable open_;
  bool gate_open_ = true;
};

class resolver_router_test : public ::testing::Test {
 protected:
  fs::path dir = fs::temp_directory_path() / ("spence-router-test-" + std::to_string(::getpid()));
  fs::path track = dir / "tone.ogg";
  std::shared_ptr<counted_opener> opener = std::make_shared<counted_opener>();
  boost::asio::thread_pool work{4};
  std::unique_ptr<actors::runtime> rt;
  actors::actor_ref<resolver_router::protocol> router;

  void SetUp() override {
    fs::create_directories(dir);
    const auto bytes = test::ogg_sine(50, 450);
    std::ofstream(track, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  void start(resolver_settings settings = {}) {
    rt = std::make_unique<actors::runtime>(actors::runtime_options{2, nullptr});
    auto services = std::make_shared<resolver_services>();
    services->work = work.get_executor();
    services->platforms[platform::local] = std::make_shared<probed_media_resolver>(
        platform::local, [o = opener](const std::string& path) { return o->open(path); });
    services->settings = settings;
    rt->services().provide(services);
    router = rt->spawn<resolver_router>("/resolvers/router").value();
  }
  void TearDown() override {
    opener->open_gate();
    if (rt) rt->shutdown(2s);
    work.join();
    fs::remove_all(dir);
  }

  std::future<lavalink::load_result> resolve(const std::string& identifier) {
    return boost::asio::co_spawn(
        rt->executor(),
        [this, identifier]() -> boost::asio::awaitable<lavalink::load_result> {
          auto r = co_await actors::ask<lavalink::load_result>(
              router, [&](actors::reply_to<lavalink::load_result> to) { return resolve_identifier{identifier, to}; }, 5s);
          co_return r ? *r : load_error("no answer: " + r.error().message());
        },
        boost::asio::use_future);
  }
  resolver_stats stats() {
    return boost::asio::co_spawn(
               rt->executor(),
               [this]() -> boost::asio::awaitable<resolver_stats> {
                 auto r = co_await actors::ask<resolver_stats>(
                     router, [](actors::reply_to<resolver_stats> to) { return get_resolver_stats{to}; }, 5s);
                 co_return r ? *r : resolver_stats{};
               },
               boost::asio::use_future)
        .get();
  }
};

TEST_F(resolver_router_test, AResolvedTrackIsCachedAndAnsweredAgainWithoutOpeningIt) {
  start();
  auto first = resolve(track.string()).get();
  ASSERT_EQ(first.type, kind::track) << first.message;
  EXPECT_EQ(first.tracks[0].info.source_name, "local");
  EXPECT_EQ(first.tracks[0].info.length_ms, 1000);
  EXPECT_EQ(first.tracks[0].probe_info, "ogg");
  auto second = resolve(track.string()).get();
  EXPECT_EQ(second.tracks, first.tracks);
  EXPECT_EQ(opener->opens, 1);
  const auto s = stats();
  EXPECT_EQ(s.requests, 2u);
  EXPECT_EQ(s.resolutions, 1u);
  EXPECT_EQ(s.cache_hits, 1u);
  EXPECT_EQ(s.cache_entries, 1u);
  EXPECT_GT(s.cache_bytes, 0u);
}

TEST_F(resolver_router_test, IdenticalConcurrentLookupsShareOneResolution) {
  start();
  opener->close_gate();
  std::vector<std::future<lavalink::load_result>> answers;
  for (int i = 0; i < 5; ++i) answers.push_back(resolve(track.string()));
  while (stats().requests < 5) std::this_thread::sleep_for(1ms);
  EXPECT_EQ(stats().in_flight, 1u);
  opener->open_gate();
  for (auto& a : answers) EXPECT_EQ(a.get().type, kind::track);
  EXPECT_EQ(opener->opens, 1);
  EXPECT_EQ(stats().shared, 4u);
  EXPECT_EQ(stats().in_flight, 0u);
}

TEST_F(resolver_router_test, AFailureIsCachedForTheFailureTtl) {
  start();  // failure_ttl 30 s: the second lookup of a missing file is a hit
  const auto missing = (dir / "missing.ogg").string();
  EXPECT_EQ(resolve(missing).get().type, kind::empty);
  EXPECT_EQ(resolve(missing).get().type, kind::empty);
  EXPECT_EQ(stats().resolutions, 1u);
}

TEST_F(resolver_router_test, WithoutAFailureTtlAFailureIsLookedUpAgain) {
  resolver_settings no_negative_cache;
  no_negative_cache.failure_ttl = 0s;
  start(no_negative_cache);
  const auto missing = (dir / "missing.ogg").string();
  EXPECT_EQ(resolve(missing).get().type, kind::empty);
  EXPECT_EQ(resolve(missing).get().type, kind::empty);
  EXPECT_EQ(stats().resolutions, 2u);
}

TEST_F(resolver_router_test, PastTheInFlightBoundADifferentLookupIsRefusedAtOnce) {
  resolver_settings one_at_a_time;
  one_at_a_time.max_in_flight = 1;
  start(one_at_a_time);
  opener->close_gate();
  auto waiting = resolve(track.string());
  while (stats().in_flight < 1) std::this_thread::sleep_for(1ms);
  const auto copy = dir / "copy.ogg";
  fs::copy_file(track, copy);
  auto refused = resolve(copy.string()).get();
  EXPECT_EQ(refused.type, kind::error);
  EXPECT_EQ(refused.cause, "too many resolutions in flight");
  opener->open_gate();
  EXPECT_EQ(waiting.get().type, kind::track);
  EXPECT_EQ(resolve(copy.string()).get().type, kind::track);
}

TEST_F(resolver_router_test, IdentifiersThatDoNotRouteOrHaveNoResolverAreAnsweredAtOnce) {
  start();
  auto refused = resolve("ytsearch:   ").get();
  EXPECT_EQ(refused.type, kind::error);
  EXPECT_EQ(refused.message, "ytsearch: needs search terms");
  EXPECT_EQ(resolve("ytsearch:lofi").get().type, kind::empty);  // no YouTube resolver configured
  EXPECT_EQ(opener->opens, 0);
  EXPECT_EQ(stats().refused, 1u);
}

TEST_F(resolver_router_test, BrokenMediaIsAnErrorNamingWhy) {
  start();
  const auto broken = dir / "broken.ogg";
  std::ofstream(broken) << "OggS but not really";
  auto result = resolve(broken.string()).get();
  EXPECT_EQ(result.type, kind::error);
  EXPECT_FALSE(result.message.empty());
}

}  // namespace
}  // namespace spence::resolvers
