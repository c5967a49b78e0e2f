// `spence bench voice`: N guilds, each a player in passthrough and its own voice connection to the
// Discord emulator, which runs as another process (so its work is not counted as ours) on
// loopback and checks every packet's RTP continuity and pacing (not decoding it: at thousands of
// streams libopus would cost the emulator more than spence spends sending). Measured over a
// window once every player plays: packets per second, send lateness (each frame's tick, including
// its encryption and send, against its deadline), spence's CPU per connection, the emulator's.
// Then the shards stop and what the sinks sent is compared with what the emulator received over
// the whole run: every packet must have arrived.

#include "app/bench/bench_media.hpp"
#include "app/bench/bench_probe.hpp"
#include "app/bench/child_process.hpp"
#include "app/bench/open_files.hpp"
#include "app/commands.hpp"
#include "app/notice_counter.hpp"
#include "app/voice_guilds.hpp"

#include "actors/actor.hpp"
#include "engine/file_source.hpp"
#include "engine/player/player_actor.hpp"
#include "net/voice/voice_connection_actor.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>

#include <fmt/format.h>

#include <iostream>
#include <thread>

namespace spence::app {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

// GET /stats on the emulator's control API, "http://ADDRESS:PORT" as it printed it.
json::value get_stats(const std::string& control) {
  const std::string_view url(control);
  const auto colon = url.rfind(':');
  if (!url.starts_with("http://") || colon == std::string_view::npos)
    throw std::runtime_error("the emulator printed a control URL that cannot be read: " + control);
  const std::string host(url.substr(7, colon - 7));
  asio::io_context io;
  asio::ip::tcp::socket socket(io);
  socket.connect({asio::ip::make_address(host), static_cast<std::uint16_t>(std::stoul(std::string(url.substr(colon + 1))))});
  http::request<http::empty_body> request{http::verb::get, "/stats", 11};
  request.set(http::field::host, host);
  http::write(socket, request);
  boost::beast::flat_buffer buffer;
  http::response_parser<http::string_body> response;
  response.body_limit(64 << 20);
  http::read(socket, buffer, response);
  return json::parse(response.get().body());
}

struct emulator_totals {
  std::uint64_t received = 0, lost = 0, late = 0, duplicates = 0, timestamp_jumps = 0, bad_datagrams = 0;
};

emulator_totals totals_of(const json::value& stats) {
  emulator_totals t;
  const auto& udp = stats.at("udp").as_object();
  for (const auto& s : udp.at("streams").as_array()) {
    const auto& o = s.as_object();
    t.received += o.at("packets").to_number<std::uint64_t>();
    t.lost += o.at("lost").to_number<std::uint64_t>();
    t.late += o.at("late").to_number<std::uint64_t>();
    t.duplicates += o.at("duplicates").to_number<std::uint64_t>();
    t.timestamp_jumps += o.at("timestamp_jumps").to_number<std::uint64_t>();
  }
  for (const auto& [reason, n] : udp.at("dropped").as_object()) t.bad_datagrams += n.to_number<std::uint64_t>();
  return t;
}

}  // namespace

int run_voice_bench(const voice_bench_options& options) {
  const std::size_t n = options.connections;
  // A player's file, a connection's TCP socket, its UDP socket and the sink's duplicate of it.
  bench::allow_open_files(4 * n + 256);
  bench::make_inputs(options.media_dir);
  const auto file = (options.media_dir / "music.opus").string();

  bench::child_process emulator("/proc/self/exe", {"emulator", "--no-dave", "--no-decode"});
  const auto first = emulator.read_line(10s);
  if (!first) throw std::runtime_error("the emulator did not start");
  const auto endpoints = json::parse(*first).as_object();
  const std::string gateway(endpoints.at("gateway").as_string());
  const std::string control(endpoints.at("control").as_string());

  const unsigned threads = options.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : options.threads;
  voice_guilds_options setup;
  setup.threads = threads;
  setup.open = [](const std::string& path) { return std::make_unique<engine::file_source>(path); };
  setup.voice.handshake_timeout = 30s;  // thousands connect at once to a one-thread emulator
  voice_guilds guilds(std::move(setup));
  auto& rt = guilds.runtime();
  auto& shards = guilds.shards();
  std::vector<std::shared_ptr<net::voice_sink>> sinks(n);
  for (std::size_t i = 0; i < n; ++i) sinks[i] = guilds.sink(std::to_string(i));
  auto events = std::make_shared<notice_counter>();
  rt.add_effect_sink("bench.events", events);

  std::vector<actors::actor_ref<net::voice_connection_actor::protocol>> connections;
  std::vector<actors::actor_ref<engine::player_actor::protocol>> guild_players;
  for (std::size_t i = 0; i < n; ++i) {
    const auto guild = std::to_string(i);
    auto c = rt.spawn<net::voice_connection_actor>(fmt::format("/bench/guild/{}/voice", i), {guild, "bench.events", {}});
    auto p = rt.spawn<engine::player_actor>(fmt::format("/bench/guild/{}/player", i), {guild, "bench.events", {}, 5000, {}});
    if (!c || !p) throw std::runtime_error("cannot spawn a guild's actors");
    connections.push_back(std::move(*c));
    guild_players.push_back(std::move(*p));
  }
  const auto connect_start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    if (connections[i].try_send(net::join_voice{gateway, fmt::format("bot{}", i), "channel", {fmt::format("session{}", i)},
                                                {"token"}}))
      throw std::runtime_error("a voice connection refused to join");
    if (i % 50 == 49) std::this_thread::sleep_for(20ms);  // joins arrive over time, as guilds do
  }
  const auto ready_by = std::chrono::steady_clock::now() + 120s;
  std::size_t ready = 0;
  while ((ready = static_cast<std::size_t>(std::count_if(sinks.begin(), sinks.end(), [](const auto& s) { return s->attached(); }))) < n) {
    if (std::chrono::steady_clock::now() > ready_by)
      throw std::runtime_error(fmt::format("only {} of {} connections were ready after 120 s", ready, n));
    std::this_thread::sleep_for(50ms);
  }
  const double connect_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - connect_start).count();

  const auto ramp_start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < n; ++i) {
    std::this_thread::sleep_until(ramp_start + 1s * static_cast<double>(i) / static_cast<double>(n));
    if (guild_players[i].try_send(engine::play_track{file, static_cast<std::int64_t>(i % 200) * 20, std::nullopt, false}))
      throw std::runtime_error("a player refused its track");
  }
  const auto started_by = std::chrono::steady_clock::now() + 60s;
  while (events->started.load() + events->failed.load() < n) {
    if (std::chrono::steady_clock::now() > started_by) throw std::runtime_error("the players did not all start in 60 s");
    std::this_thread::sleep_for(10ms);
  }

  auto histograms = [&] {
    engine::lateness_histogram h;
    for (std::size_t i = 0; i < shards.shard_count(); ++i) h.merge(shards.shard(i).lateness());
    return h;
  };
  auto sent_total = [&] {
    std::uint64_t sent = 0;
    for (const auto& s : sinks) sent += s->counters().sent;
    return sent;
  };
  const auto late_before = histograms();
  const auto sent_before = sent_total();
  const auto emulator_before = totals_of(get_stats(control));
  const double emulator_cpu_before = emulator.cpu_seconds();
  bench::cpu_meter cpu;
  const auto window_start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  const double window = std::chrono::duration<double>(std::chrono::steady_clock::now() - window_start).count();
  const auto lateness = histograms().since(late_before).summarize();
  const auto sent_in_window = sent_total() - sent_before;
  const auto cpu_report = cpu.report(0);
  const double emulator_cpu = emulator.cpu_seconds() - emulator_cpu_before;
  const auto emulator_window = totals_of(get_stats(control));

  // Every packet sent must arrive: stop producing, let the last ones land, compare the totals.
  shards.stop();
  const auto stats = shards.stats();
  std::this_thread::sleep_for(300ms);
  const auto sent = sent_total();
  std::uint64_t dropped_by_sinks = 0;
  for (const auto& s : sinks) dropped_by_sinks += s->counters().dropped;
  const auto emulator_end = totals_of(get_stats(control));
  for (auto& c : connections) (void)c.try_send(net::leave_voice{});
  std::this_thread::sleep_for(200ms);
  guilds.shutdown();
  emulator.stop(3s);

  const double spence_cpu_percent = cpu_report.at("cpu_percent").to_number<double>();
  json::object report{
      {"connections", n},
      {"threads", threads},
      {"seconds", window},
      {"connect_seconds", connect_seconds},
      {"packets_per_second", static_cast<double>(sent_in_window) / window},
      {"received_per_second", static_cast<double>(emulator_window.received - emulator_before.received) / window},
      {"lateness_ms", {{"p50", lateness.p50.count() / 1e6}, {"p99", lateness.p99.count() / 1e6}, {"max", lateness.max.count() / 1e6}}},
      {"missed_frames", stats.total.missed},
      {"spence_cpu_percent", spence_cpu_percent},
      {"spence_cpu_us_per_connection_second", spence_cpu_percent / 100.0 * 1e6 / static_cast<double>(n)},
      {"emulator_cpu_percent", emulator_cpu / window * 100.0},
      {"sent", sent},
      {"dropped_by_sinks", dropped_by_sinks},
      {"received", emulator_end.received},
      {"missing", sent > emulator_end.received ? sent - emulator_end.received : 0},
      {"lost", emulator_end.lost},
      {"late", emulator_end.late + emulator_end.duplicates},
      {"timestamp_jumps", emulator_end.timestamp_jumps},
      {"bad_datagrams", emulator_end.bad_datagrams},
      {"voice_closes", events->closed.load()},
  };
  if (options.json) {
    std::cout << json::serialize(report) << "\n";
  } else {
    fmt::print("{} connections: {:.0f} packets/s, lateness p50 {:.2f} ms p99 {:.2f} ms max {:.2f} ms, {} missed frames\n",
               n, report.at("packets_per_second").as_double(), lateness.p50.count() / 1e6, lateness.p99.count() / 1e6,
               lateness.max.count() / 1e6, stats.total.missed);
    fmt::print("spence CPU {:.0f}% ({:.1f} us per connection-second), emulator CPU {:.0f}%\n", spence_cpu_percent,
               report.at("spence_cpu_us_per_connection_second").as_double(), report.at("emulator_cpu_percent").as_double());
    fmt::print("sent {}, received {}, missing {}, lost {}, late {}, bad datagrams {}\n", sent, emulator_end.received,
               report.at("missing").as_uint64(), emulator_end.lost, emulator_end.late, emulator_end.bad_datagrams);
  }
  const bool intact = report.at("missing").as_uint64() == 0 && emulator_end.lost == 0 && emulator_end.bad_datagrams == 0;
  return intact ? 0 : 1;
}

}  // namespace spence::app
