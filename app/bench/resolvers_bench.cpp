// `spence bench resolvers [--soundcloud BASE] [--lookups N] [--concurrency C] [--json]`: what a
// lookup costs through the router actor, as /v4/loadtracks pays it.
//   local        a local Ogg Opus file: a miss (open and probe it) and a hit (the cache), per lookup
//   soundcloud   with --soundcloud, against that stand-in (scripts/bench-resolvers starts the
//                tests' one): `scsearch:` misses (API round trips, JSON parsed, tracks built) and
//                hits; C distinct searches at once, repeated (throughput); C identical ones at
//                once (they share one resolution)
//   cache        heap bytes per cached search result (10 tracks), measured over 10,000 entries,
//                beside the weight the cache counts it at
// Latencies are wall time from the asking thread to the answer: p50, p99, max in microseconds.

#include "app/bench/bench_probe.hpp"
#include "app/commands.hpp"
#include "app/demo_sample.hpp"

#include "actors/runtime.hpp"
#include "engine/file_source.hpp"
#include "net/http/http_client_thread.hpp"
#include "resolvers/probed_media_resolver.hpp"
#include "resolvers/resolver_router.hpp"
#include "resolvers/soundcloud_resolver.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace spence::app {
namespace {

namespace json = boost::json;
namespace lavalink = net::lavalink;
using clock_type = std::chrono::steady_clock;

class router_under_test {
 public:
  router_under_test(std::shared_ptr<resolvers::resolver_services> services) : rt_({2, nullptr}) {
    rt_.services().provide(std::move(services));
    router_ = rt_.spawn<resolvers::resolver_router>("/bench/resolvers/router").value();
  }
  ~router_under_test() { rt_.shutdown(std::chrono::seconds(2)); }

  std::future<lavalink::load_result> ask(std::string identifier) {
    return boost::asio::co_spawn(
        rt_.executor(),
        [this, identifier = std::move(identifier)]() -> boost::asio::awaitable<lavalink::load_result> {
          auto r = co_await actors::ask<lavalink::load_result>(
              router_, [&](actors::reply_to<lavalink::load_result> to) { return resolvers::resolve_identifier{identifier, to}; },
              std::chrono::seconds(30));
          co_return r ? *r : resolvers::load_error(r.error().message());
        },
        boost::asio::use_future);
  }
  resolvers::resolver_stats stats() {
    return boost::asio::co_spawn(
               rt_.executor(),
               [this]() -> boost::asio::awaitable<resolvers::resolver_stats> {
                 auto r = co_await actors::ask<resolvers::resolver_stats>(
                     router_, [](actors::reply_to<resolvers::resolver_stats> to) { return resolvers::get_resolver_stats{to}; },
                     std::chrono::seconds(5));
                 co_return r ? *r : resolvers::resolver_stats{};
               },
               boost::asio::use_future)
        .get();
  }

 private:
  actors::runtime rt_;
  actors::actor_ref<resolvers::resolver_router::protocol> router_;
};

json::object latency_report(std::vector<double> us) {
  std::sort(us.begin(), us.end());
  const auto at = [&](double q) { return us.empty() ? 0.0 : us[static_cast<std::size_t>(q * static_cast<double>(us.size() - 1))]; };
  return {{"lookups", us.size()}, {"p50_us", at(0.5)}, {"p99_us", at(0.99)}, {"max_us", us.empty() ? 0.0 : us.back()}};
}

// Each identifier asked one after another; fails (empty) when an answer is not `expected`.
std::optional<std::vector<double>> sequential(router_under_test& router, const std::vector<std::string>& ids,
                                              lavalink::load_result::kind expected) {
  std::vector<double> us;
  for (const auto& id : ids) {
    const auto start = clock_type::now();
    auto r = router.ask(id).get();
    us.push_back(std::chrono::duration<double, std::micro>(clock_type::now() - start).count());
    if (r.type != expected) {
      fmt::print(stderr, "bench resolvers: {} gave {} ({})\n", id, static_cast<int>(r.type), r.message);
      return std::nullopt;
    }
  }
  return us;
}

json::object cache_memory(const lavalink::load_result& result) {
  constexpr std::size_t entries = 10'000;
  resolvers::ttl_cache<lavalink::load_result> cache({entries, std::size_t{1} << 34});
  bench::memory_meter meter;
  for (std::size_t i = 0; i < entries; ++i)
    cache.put("scsearch:lofi " + std::to_string(i), result, resolvers::weight_of(result), std::chrono::hours(1),
              actors::clock::time_point{});
  auto report = meter.report(entries);
  report["tracks_each"] = result.tracks.size();
  report["weight_each"] = resolvers::weight_of(result);
  report["cache_bytes_each"] = cache.stats().bytes / entries;
  return report;
}

}  // namespace

int run_resolvers_bench(const resolvers_bench_options& options) {
  const auto dir = std::filesystem::temp_directory_path() / fmt::format("spence-bench-resolvers-{}", ::getpid());
  std::filesystem::create_directories(dir);
  std::vector<std::string> files;
  const auto sample = demo_sample(2.0);
  for (std::size_t i = 0; i < options.lookups; ++i) {
    files.push_back((dir / fmt::format("track-{}.ogg", i)).string());
    std::ofstream(files.back(), std::ios::binary).write(reinterpret_cast<const char*>(sample.data()), static_cast<std::streamsize>(sample.size()));
  }

  boost::asio::thread_pool work(4);
  std::unique_ptr<net::http_client_thread> http;
  auto services = std::make_shared<resolvers::resolver_services>();
  services->work = work.get_executor();
  services->platforms[resolvers::platform::local] = std::make_shared<resolvers::probed_media_resolver>(
      resolvers::platform::local, [](const std::string& path) { return std::make_unique<engine::file_source>(path); });
  if (options.soundcloud) {
    http = std::make_unique<net::http_client_thread>();
    services->platforms[resolvers::platform::soundcloud] = std::make_shared<resolvers::soundcloud_resolver>(
        *http, resolvers::soundcloud_endpoints{*options.soundcloud, *options.soundcloud});
  }
  json::object report;
  bool ok = true;
  {
    router_under_test router(services);
    using kind = lavalink::load_result::kind;
    auto local_miss = sequential(router, files, kind::track);
    auto local_hit = sequential(router, files, kind::track);
    ok = local_miss && local_hit;
    if (ok) report["local"] = json::object{{"miss", latency_report(*local_miss)}, {"hit", latency_report(*local_hit)}};

    if (ok && options.soundcloud) {
      std::vector<std::string> searches;
      for (std::size_t i = 0; i < options.lookups; ++i) searches.push_back(fmt::format("scsearch:lofi {}", i));
      auto miss = sequential(router, searches, kind::search);
      auto hit = sequential(router, searches, kind::search);
      ok = miss && hit;
      if (ok) {
        // C distinct searches at once, until `lookups` more have been answered.
        const auto start = clock_type::now();
        std::size_t done = 0;
        while (done < options.lookups) {
          std::vector<std::future<lavalink::load_result>> batch;
          for (std::size_t i = 0; i < options.concurrency && done + i < options.lookups; ++i)
            batch.push_back(router.ask(fmt::format("scsearch:lofi concurrent {}", done + i)));
          for (auto& f : batch) ok = f.get().type == kind::search && ok;
          done += batch.size();
        }
        const double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
        // C identical searches at once.
        const auto before = router.stats().resolutions;
        std::vector<std::future<lavalink::load_result>> same;
        for (std::size_t i = 0; i < options.concurrency; ++i) same.push_back(router.ask("scsearch:lofi shared"));
        for (auto& f : same) ok = f.get().type == kind::search && ok;
        const auto shared_resolutions = router.stats().resolutions - before;
        const auto one = router.ask("scsearch:lofi 0").get();
        report["soundcloud"] = json::object{
            {"miss", latency_report(*miss)},
            {"hit", latency_report(*hit)},
            {"concurrent", json::object{{"concurrency", options.concurrency}, {"lookups", done},
                                        {"seconds", seconds}, {"lookups_per_second", static_cast<double>(done) / seconds}}},
            {"identical_at_once", json::object{{"lookups", options.concurrency}, {"resolutions", shared_resolutions}}}};
        report["cache"] = cache_memory(one);
      }
    }
    const auto s = router.stats();
    report["router"] = json::object{{"requests", s.requests}, {"resolutions", s.resolutions}, {"shared", s.shared},
                                    {"cache_hits", s.cache_hits}, {"cache_entries", s.cache_entries},
                                    {"cache_bytes", s.cache_bytes}};
  }
  work.join();
  std::filesystem::remove_all(dir);
  report["ok"] = ok;
  if (options.json) fmt::print("{}\n", json::serialize(report));
  else for (const auto& [key, value] : report) fmt::print("{}: {}\n", std::string(key), json::serialize(value));
  return ok ? 0 : 1;
}

}  // namespace spence::app
