// `spence bench actors`: the actor runtime measured against raw Asio strands doing the same work,
// in one run, so the figures read as ratios (docs/performance.md).
//   ping-pong   two actors exchanging messages: round trips/s, p50/p99 round-trip latency
//   fan-out     one actor sending to 1,000 actors: messages/s
//   player      1,000 actors each receiving 50 messages/s from a 20 ms ticker: process CPU%,
//               with tracing off and on
//   idle        heap and RSS per idle actor with a 64-slot mailbox

#include "app/bench/bench_probe.hpp"
#include "app/commands.hpp"

#include "actors/actor.hpp"
#include "actors/trace_writer.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <future>

namespace spence::app {
namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using bench::probe;

constexpr std::size_t player_count = 1000;
constexpr std::size_t fan_out_targets = 1000;
constexpr std::size_t fan_out_per_target = 200;
constexpr std::uint64_t ping_pong_round_trips = 200'000;

// ---- actors used by the patterns ----

struct ping {
  std::uint64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(ping, (), (n))
struct pong {
  std::uint64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(pong, (), (n))
struct frame {
  std::uint64_t n = 0;
};
BOOST_DESCRIBE_STRUCT(frame, (), (n))

class ponger {
 public:
  static constexpr std::string_view kind = "bench.ponger";
  using protocol = std::variant<ping>;
  struct config {
    std::string reply_to;
      BOOST_DESCRIBE_CLASS(config, (), (reply_to), (), ())
  };
  ponger(const config&, actors::context<protocol>&) {}
  void handle(const ping& m, actors::context<protocol>& ctx) {
    if (!pinger_) pinger_ = ctx.owner().find_as<std::variant<pong>>("/bench/pinger");
    ctx.send(pinger_, pong{m.n});
  }

 private:
  actors::actor_ref<std::variant<pong>> pinger_;
};

class pinger {
 public:
  static constexpr std::string_view kind = "bench.pinger";
  using protocol = std::variant<pong>;
  struct config {
    probe* p = nullptr;
      BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  pinger(const config& c, actors::context<protocol>&) : probe_(c.p) {}
  void handle(const pong& m, actors::context<protocol>& ctx) {
    probe_->lap();
    if (m.n + 1 < ping_pong_round_trips) ctx.send(peer(ctx), ping{m.n + 1});
    else probe_->finish();
  }

 private:
  actors::actor_ref<std::variant<ping>> peer(actors::context<protocol>& ctx) {
    if (!peer_) peer_ = ctx.owner().find_as<std::variant<ping>>("/bench/ponger");
    return peer_;
  }
  probe* probe_;
  actors::actor_ref<std::variant<ping>> peer_;
};

// Counts what it receives; the probe is told once every counter reached its target.
class counter {
 public:
  static constexpr std::string_view kind = "bench.counter";
  using protocol = std::variant<frame>;
  struct config {
    probe* p = nullptr;
      BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  counter(const config& c, actors::context<protocol>&) : probe_(c.p) {}
  void handle(const frame& m, actors::context<protocol>&) {
    sum_ += m.n;
    probe_->count_one();
  }

 private:
  probe* probe_;
  std::uint64_t sum_ = 0;
};

struct go {};
BOOST_DESCRIBE_STRUCT(go, (), ())

class fan_out_source {
 public:
  static constexpr std::string_view kind = "bench.fan_out_source";
  using protocol = std::variant<go>;
  struct config {
    std::vector<actors::actor_ref<counter::protocol>>* targets = nullptr;
      BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  fan_out_source(const config& c, actors::context<protocol>&) : targets_(c.targets) {}
  void handle(const go&, actors::context<protocol>& ctx) {
    for (std::size_t round = 0; round < fan_out_per_target; ++round)
      for (auto& t : *targets_) ctx.send(t, frame{round});
  }

 private:
  std::vector<actors::actor_ref<counter::protocol>>* targets_;
};

// A 20 ms ticker at absolute deadlines, sending one frame to every player per tick.
class ticker {
 public:
  static constexpr std::string_view kind = "bench.ticker";
  using protocol = std::variant<frame>;
  struct config {
    std::vector<actors::actor_ref<counter::protocol>>* targets = nullptr;
      BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  ticker(const config& c, actors::context<protocol>& ctx) : targets_(c.targets), start_(ctx.now()) {
    ctx.send_after(period, frame{1});
  }
  void handle(const frame& m, actors::context<protocol>& ctx) {
    for (auto& t : *targets_) ctx.send(t, m);
    auto next = start_ + period * static_cast<std::int64_t>(m.n + 1);
    ctx.send_after(next - ctx.now(), frame{m.n + 1});
  }
  static constexpr std::chrono::milliseconds period{20};

 private:
  std::vector<actors::actor_ref<counter::protocol>>* targets_;
  actors::clock::time_point start_;
};

class idle_actor {
 public:
  static constexpr std::string_view kind = "bench.idle";
  using protocol = std::variant<frame>;
  struct config {
    BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };
  idle_actor(const config&, actors::context<protocol>&) {}
  void handle(const frame&, actors::context<protocol>&) {}
};

// ---- patterns through the runtime ----

json::object runtime_ping_pong(unsigned threads) {
  actors::runtime rt({threads, nullptr});
  probe p(1);
  p.reserve_laps(ping_pong_round_trips);
  auto pinger_ref = rt.spawn<pinger>("/bench/pinger", {&p});
  auto ponger_ref = rt.spawn<ponger>("/bench/ponger", {});
  p.start();
  (void)ponger_ref->try_send(ping{0});
  p.wait();
  return p.round_trip_report();
}

json::object runtime_fan_out(unsigned threads) {
  actors::runtime rt({threads, nullptr});
  probe p(fan_out_targets * fan_out_per_target);
  std::vector<actors::actor_ref<counter::protocol>> targets;
  for (std::size_t i = 0; i < fan_out_targets; ++i) targets.push_back(*rt.spawn<counter>(fmt::format("/bench/t/{}", i), {&p}));
  auto source = rt.spawn<fan_out_source>("/bench/source", {&targets});
  p.start();
  (void)source->try_send(go{});
  p.wait();
  return p.throughput_report();
}

json::object runtime_players(unsigned threads, double seconds, actors::trace_sink* trace) {
  actors::runtime rt({threads, trace});
  probe p(0);
  std::vector<actors::actor_ref<counter::protocol>> players;
  for (std::size_t i = 0; i < player_count; ++i) players.push_back(*rt.spawn<counter>(fmt::format("/bench/player/{}", i), {&p}));
  bench::cpu_meter meter;
  auto t = rt.spawn<ticker>("/bench/ticker", {&players});
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  auto report = meter.report(p.counted());
  t->cell()->request_stop("benchmark over");
  rt.shutdown(std::chrono::seconds(1));
  return report;
}

json::object runtime_idle_memory(unsigned threads) {
  constexpr std::size_t n = 10'000;
  actors::runtime rt({threads, nullptr});
  std::vector<actors::actor_ref<idle_actor::protocol>> keep;
  keep.reserve(n);
  bench::memory_meter meter;
  for (std::size_t i = 0; i < n; ++i) keep.push_back(*rt.spawn<idle_actor>(fmt::format("/bench/idle/{:05}", i), {}));
  // Let every loop reach its first wait.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return meter.report(n);
}

// ---- the same work on raw strands ----

json::object raw_ping_pong(unsigned threads) {
  asio::thread_pool pool(threads);
  auto a = asio::make_strand(pool);
  auto b = asio::make_strand(pool);
  probe p(1);
  p.reserve_laps(ping_pong_round_trips);
  std::function<void(std::uint64_t)> to_b, to_a;
  to_b = [&](std::uint64_t n) { asio::post(b, [&, n] { asio::post(a, [&, n] { to_a(n); }); }); };
  to_a = [&](std::uint64_t n) {
    p.lap();
    if (n + 1 < ping_pong_round_trips) to_b(n + 1);
    else p.finish();
  };
  p.start();
  to_b(0);
  p.wait();
  pool.join();
  return p.round_trip_report();
}

json::object raw_fan_out(unsigned threads) {
  asio::thread_pool pool(threads);
  probe p(fan_out_targets * fan_out_per_target);
  std::vector<asio::strand<asio::thread_pool::executor_type>> strands;
  std::vector<std::uint64_t> sums(fan_out_targets);
  for (std::size_t i = 0; i < fan_out_targets; ++i) strands.push_back(asio::make_strand(pool));
  auto source = asio::make_strand(pool);
  p.start();
  asio::post(source, [&] {
    for (std::size_t round = 0; round < fan_out_per_target; ++round)
      for (std::size_t i = 0; i < fan_out_targets; ++i)
        asio::post(strands[i], [&, i, round] {
          sums[i] += round;
          p.count_one();
        });
  });
  p.wait();
  pool.join();
  return p.throughput_report();
}

json::object raw_players(unsigned threads, double seconds) {
  asio::thread_pool pool(threads);
  probe p(0);
  std::vector<asio::strand<asio::thread_pool::executor_type>> strands;
  std::vector<std::uint64_t> sums(player_count);
  for (std::size_t i = 0; i < player_count; ++i) strands.push_back(asio::make_strand(pool));
  asio::steady_timer timer(asio::make_strand(pool));
  const auto start = std::chrono::steady_clock::now();
  std::atomic<bool> running{true};
  std::function<void(std::uint64_t)> tick = [&](std::uint64_t n) {
    timer.expires_at(start + ticker::period * n);
    timer.async_wait([&, n](boost::system::error_code ec) {
      if (ec || !running) return;
      for (std::size_t i = 0; i < player_count; ++i)
        asio::post(strands[i], [&, i, n] {
          sums[i] += n;
          p.count_one();
        });
      tick(n + 1);
    });
  };
  bench::cpu_meter meter;
  tick(1);
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  auto report = meter.report(p.counted());
  running = false;
  asio::post(timer.get_executor(), [&] { timer.cancel(); });
  pool.join();
  return report;
}

// This machine's neighbours make single runs swing by 2-3x: each throughput pattern runs
// `repeats` times, alternating runtime and raw so both see the same conditions, and the run with
// the median rate is reported, with the spread.
constexpr int repeats = 5;

// The run with the median `key`, annotated with the lowest and highest values seen.
json::object median_by(std::vector<json::object> runs, const char* key) {
  auto value = [key](const json::object& o) { return o.at(key).to_number<double>(); };
  std::sort(runs.begin(), runs.end(), [&](const json::object& a, const json::object& b) { return value(a) < value(b); });
  json::object median = runs[runs.size() / 2];
  median[std::string("lowest_") + key] = value(runs.front());
  median[std::string("highest_") + key] = value(runs.back());
  median["runs"] = runs.size();
  return median;
}

std::pair<json::object, json::object> median_pair(const std::function<json::object()>& runtime_run,
                                                  const std::function<json::object()>& raw_run) {
  std::vector<json::object> rt_runs, raw_runs;
  for (int i = 0; i < repeats; ++i) {
    rt_runs.push_back(runtime_run());
    raw_runs.push_back(raw_run());
  }
  return {median_by(std::move(rt_runs), "per_second"), median_by(std::move(raw_runs), "per_second")};
}

double ratio(const json::object& slow, const json::object& fast, const char* key) {
  return fast.at(key).to_number<double>() / slow.at(key).to_number<double>();
}

}  // namespace

int run_actors_bench(const actors_bench_options& options) {
  unsigned threads = options.threads != 0 ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  json::object out{{"benchmark", "actors"}, {"threads", threads}};

  auto [rt_pp, raw_pp] = median_pair([&] { return runtime_ping_pong(threads); }, [&] { return raw_ping_pong(threads); });
  out["ping_pong"] = {{"round_trips", ping_pong_round_trips}, {"runtime", rt_pp}, {"raw_strands", raw_pp},
                      {"raw_over_runtime_throughput", ratio(rt_pp, raw_pp, "per_second")}};

  auto [rt_fo, raw_fo] = median_pair([&] { return runtime_fan_out(threads); }, [&] { return raw_fan_out(threads); });
  out["fan_out"] = {{"targets", fan_out_targets}, {"messages_per_target", fan_out_per_target}, {"runtime", rt_fo},
                    {"raw_strands", raw_fo}, {"raw_over_runtime_throughput", ratio(rt_fo, raw_fo, "per_second")}};

  // CPU figures of a few percent swing with the neighbours too: median of three rounds, each
  // round running untraced, traced and raw back to back.
  std::vector<json::object> rt_runs, traced_runs, raw_runs;
  auto trace_path = std::filesystem::temp_directory_path() / fmt::format("spence-bench-{}.trace", ::getpid());
  for (int round = 0; round < 3; ++round) {
    rt_runs.push_back(runtime_players(threads, options.seconds, nullptr));
    auto writer = actors::trace_writer::open({trace_path});
    if (writer) {
      auto traced = runtime_players(threads, options.seconds, writer->get());
      (*writer)->close();
      traced["trace_bytes"] = std::filesystem::file_size(trace_path);
      traced_runs.push_back(std::move(traced));
    }
    raw_runs.push_back(raw_players(threads, options.seconds));
  }
  for (int i = 1; std::filesystem::exists(actors::trace_segment_path(trace_path, i)); ++i)
    std::filesystem::remove(actors::trace_segment_path(trace_path, i));
  auto rt_pl = median_by(std::move(rt_runs), "cpu_percent");
  auto raw_pl = median_by(std::move(raw_runs), "cpu_percent");
  json::object traced = traced_runs.empty() ? json::object{} : median_by(std::move(traced_runs), "cpu_percent");
  json::object players{{"actors", player_count}, {"messages_per_actor_per_second", 50}, {"runtime", rt_pl},
                       {"runtime_traced", traced}, {"raw_strands", raw_pl},
                       {"runtime_over_raw_cpu", ratio(raw_pl, rt_pl, "cpu_percent")}};
  if (!traced.empty()) players["tracing_extra_cpu_percent"] =
      100.0 * (ratio(rt_pl, traced, "cpu_percent") - 1.0);
  out["player_pattern"] = std::move(players);

  out["idle_actor"] = runtime_idle_memory(threads);

  if (options.json) {
    fmt::print("{}\n", json::serialize(out));
    return 0;
  }
  auto num = [](const json::value& v) { return v.to_number<double>(); };
  const auto& pp = out["ping_pong"].as_object();
  const auto& fo = out["fan_out"].as_object();
  const auto& pl = out["player_pattern"].as_object();
  const auto& idle = out["idle_actor"].as_object();
  fmt::print("ping-pong: {:.0f} round trips/s (raw strands {:.0f}), p50 {:.1f} us, p99 {:.1f} us\n",
             num(pp.at("runtime").at("per_second")), num(pp.at("raw_strands").at("per_second")),
             num(pp.at("runtime").at("p50_us")), num(pp.at("runtime").at("p99_us")));
  fmt::print("fan-out 1 -> {}: {:.0f} messages/s (raw strands {:.0f})\n", fan_out_targets,
             num(fo.at("runtime").at("per_second")), num(fo.at("raw_strands").at("per_second")));
  fmt::print("player pattern: {:.1f}% CPU (raw strands {:.1f}%), traced {:.1f}%\n",
             num(pl.at("runtime").at("cpu_percent")), num(pl.at("raw_strands").at("cpu_percent")),
             traced.empty() ? 0.0 : num(traced.at("cpu_percent")));
  fmt::print("idle actor: {:.0f} heap bytes, {:.0f} RSS bytes\n", num(idle.at("heap_bytes_each")),
             num(idle.at("rss_bytes_each")));
  return 0;
}

}  // namespace spence::app
