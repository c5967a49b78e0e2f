// `spence bench players`: N guild player actors on the tick shards, each playing the generated 30 s
// Ogg Opus file from disk into a null sink (or a loopback UDP socket), for S seconds of real time.
// The players are the real thing: actors with their mailboxes, tracks opened on the opening
// executor, commands through the shards and reports back every second.
//   passthrough  the file's packets go out untouched
//   transcode    decoded and encoded again (passthrough off), default complexity
//   filters      equalizer + timescale + volume, so decoded, filtered and encoded
// Every player is built before the first one plays, and their starts are spread over one second.
// Reports frames expected, sent (reaching the sinks, and as the players reported them), missed and
// nulled over the whole run; lateness (time the packet reached the sink minus its deadline) and tick
// durations p50/p99/max over the measured window, which starts once every player plays; process
// CPU% over that window; heap and RSS in all and per player, measured while they play; and, for the
// transcoding profiles, the codec ceiling measured in the same run: how many streams straight
// libopus decode+encode sustains on these cores. --find-max searches the largest N that keeps p99
// lateness under 10 ms with no frame missed.

#include "app/bench/bench_media.hpp"
#include "app/bench/bench_probe.hpp"
#include "app/bench/open_files.hpp"
#include "app/notice_counter.hpp"
#include "app/commands.hpp"

#include "actors/clock.hpp"
#include "engine/file_source.hpp"
#include "engine/media_open.hpp"
#include "engine/player/null_sink.hpp"
#include "engine/player/player_actor.hpp"
#include "engine/player/shard_pool.hpp"
#include "engine/player/udp_sink.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

namespace spence::app {
namespace {

namespace json = boost::json;
namespace asio = boost::asio;
using namespace std::chrono_literals;

constexpr std::chrono::duration<double> start_ramp = 1s;

engine::filter_settings profile_filters(const std::string& profile) {
  engine::filter_settings filters;
  if (profile != "filters") return filters;
  engine::equalizer_settings eq;
  eq.gains[0] = 0.2f;
  eq.gains[1] = 0.15f;
  eq.gains[13] = -0.1f;
  filters.equalizer = eq;
  filters.timescale = engine::timescale_settings{1.1, 1.0, 1.0};
  filters.volume = engine::volume_settings{0.8f};
  return filters;
}

// Reads and counts what the UDP sinks send, so their datagrams do not pile up in the kernel.
class udp_drain {
 public:
  udp_drain() : socket_(io_, asio::ip::udp::endpoint(asio::ip::address_v4::loopback(), 0)) {
    socket_.set_option(asio::socket_base::receive_buffer_size(8 << 20));
    thread_ = std::thread([this] {
      std::vector<std::uint8_t> buffer(2048);
      boost::system::error_code ec;
      while (!stop_.load(std::memory_order_relaxed)) {
        socket_.receive(asio::buffer(buffer), 0, ec);
        if (!ec) received_.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  ~udp_drain() {
    stop_ = true;
    boost::system::error_code ec;
    socket_.shutdown(asio::socket_base::shutdown_both, ec);
    socket_.close(ec);
    thread_.join();
  }
  asio::ip::udp::endpoint endpoint() const { return socket_.local_endpoint(); }
  std::uint64_t received() const { return received_.load(); }

 private:
  asio::io_context io_;
  asio::ip::udp::socket socket_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> received_{0};
  std::thread thread_;
};

struct run_result {
  json::object report;
  bool within_limits = false;  // p99 lateness under 10 ms, nothing missed
};

// How many real-time streams straight libopus decode + encode sustains on `threads` cores.
double codec_ceiling(const std::filesystem::path& opus_file, unsigned threads, const engine::opus_encoder_settings& s) {
  std::vector<std::vector<std::uint8_t>> packets;
  auto media = engine::open_media(std::make_unique<engine::file_source>(opus_file));
  while (const auto p = media.opus->next()) packets.emplace_back(p->data.begin(), p->data.end());
  std::size_t bytes = 0;
  const double rtf = bench::realtime_factor(bench::audio_seconds, 1.0, [&] { bytes += bench::raw_opus(packets, s); });
  if (bytes == 0) throw std::runtime_error("the raw codec loop produced nothing");
  return rtf * threads;
}

run_result run_players(const players_bench_options& options, unsigned threads, std::size_t count,
                       const std::filesystem::path& file) {
  // Each player holds its file open, and with the UDP sink a socket.
  bench::allow_open_files(count * (options.sink == "udp" ? 2 : 1) + 256);
  std::optional<udp_drain> drain;
  if (options.sink == "udp") drain.emplace();
  else if (options.sink != "null") throw std::runtime_error("--sink is null or udp");
  if (options.profile != "passthrough" && options.profile != "transcode" && options.profile != "filters")
    throw std::runtime_error("--profile is passthrough, transcode or filters");

  bench::memory_meter memory;
  asio::thread_pool opening(1);
  actors::runtime rt({threads, nullptr});
  auto clock = std::make_shared<actors::real_clock>();
  engine::shard_pool_options shard_options;
  shard_options.shards = threads;
  shard_options.frames = engine::frame_clock(clock->now());
  auto shards = std::make_shared<engine::shard_pool>(rt.executor(), clock, shard_options);

  std::vector<std::shared_ptr<engine::packet_sink>> sinks(count);
  for (auto& sink : sinks) {
    if (drain) sink = std::make_shared<engine::udp_sink>(rt.executor(), drain->endpoint());
    else sink = std::make_shared<engine::null_sink>();
  }
  auto services = std::make_shared<engine::player_services>();
  services->shards = shards;
  services->opening = opening.get_executor();
  services->open = [](const std::string& path) { return std::make_unique<engine::file_source>(path); };
  services->make_sink = [&sinks](const std::string& guild) { return sinks.at(std::stoul(guild)); };
  rt.services().provide(services);
  auto notices = std::make_shared<notice_counter>();
  rt.add_effect_sink("bench.events", notices);

  engine::player_actor::config config;
  config.events_sink = "bench.events";
  if (options.profile != "passthrough") config.settings.passthrough = engine::passthrough_policy::never;
  const auto filters = profile_filters(options.profile);
  std::vector<actors::actor_ref<engine::player_actor::protocol>> players;
  players.reserve(count);
  // Every player is built before any plays: building them (actors, engines, encoders) is not what
  // is measured, and would otherwise take the cores from the players already ticking.
  for (std::size_t i = 0; i < count; ++i) {
    config.guild = std::to_string(i);
    auto player = rt.spawn<engine::player_actor>(fmt::format("/bench/guild/{}/player", i), config);
    if (!player) throw std::runtime_error("cannot spawn a player: " + player.error().message());
    if (filters.any_enabled() && player->try_send(engine::set_player_filters{filters}))
      throw std::runtime_error("a new player refused its filters");
    players.push_back(std::move(*player));
  }
  // Guilds do not all start in the same 20 ms: the starts are spread over the first second, or the
  // first frames of every player (a decoder set up and primed) would fall in one period.
  const auto ramp_start = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < count; ++i) {
    std::this_thread::sleep_until(ramp_start + start_ramp * static_cast<double>(i) / static_cast<double>(count));
    // Players start at different points of the file, as guilds do.
    if (players[i].try_send(engine::play_track{file.string(), static_cast<std::int64_t>(i % 200) * 20, std::nullopt, false}))
      throw std::runtime_error("a new player refused its track");
  }
  const auto started_by = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (notices->started.load() + notices->failed.load() < count) {
    if (std::chrono::steady_clock::now() > started_by) throw std::runtime_error("the players did not all start in 60 s");
    std::this_thread::sleep_for(10ms);
  }
  // The measured window starts once every player plays: lateness and ticks while thousands of
  // tracks were being opened say nothing about steady state.
  auto histograms = [&] {
    std::pair<engine::lateness_histogram, engine::lateness_histogram> h;
    for (std::size_t i = 0; i < shards->shard_count(); ++i) {
      h.first.merge(shards->shard(i).lateness());
      h.second.merge(shards->shard(i).tick_durations());
    }
    return h;
  };
  const auto [late_before, ticks_before] = histograms();
  bench::cpu_meter cpu;
  std::this_thread::sleep_for(std::chrono::duration<double>(options.seconds));
  const auto [late_after, ticks_after] = histograms();
  const auto lateness = late_after.since(late_before).summarize();
  const auto tick_durations = ticks_after.since(ticks_before).summarize();
  // While every player plays: decoders and encoders exist from a track's first PCM frame.
  const auto playing_memory = memory.report(count);
  const auto cpu_report = cpu.report(0);
  // Nothing ticks from here on, so the counts below are of the same frames (the players' states
  // are asked on the pool, which an overloaded shard would otherwise keep busy).
  shards->stop();
  const auto stats = shards->stats();

  // What the players say they played (their state, from their reports), and what reached the sinks.
  auto totals = asio::co_spawn(
      rt.executor(),
      [&]() -> asio::awaitable<std::pair<std::uint64_t, std::uint64_t>> {
        std::uint64_t sent = 0, nulled = 0;
        for (const auto& p : players) {
          auto state = co_await actors::ask<engine::player_state>(
              p, [](actors::reply_to<engine::player_state> r) { return engine::get_player_state{r}; }, 5s);
          if (!state) throw std::runtime_error("a player did not answer: " + state.error().message());
          sent += state->sent;
          nulled += state->nulled;
        }
        co_return std::pair{sent, nulled};
      },
      asio::use_future);
  const auto [sent, nulled] = totals.get();
  rt.shutdown(5s);
  opening.join();
  std::uint64_t reached_sinks = 0;
  for (const auto& sink : sinks) reached_sinks += sink->counters().sent;

  const auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  // Frame counts cover the whole run (from each player's first frame), lateness and tick durations
  // the measured window.
  const auto& total = stats.total;
  const double expected = static_cast<double>(total.frames + total.missed);
  json::object report{
      {"profile", options.profile},
      {"sink", options.sink},
      {"players", count},
      {"threads", threads},
      {"seconds", options.seconds},
      {"frames_expected", static_cast<std::uint64_t>(expected)},
      {"frames_sent", reached_sinks},
      {"frames_reported", sent},
      {"frames_nulled", nulled},
      {"frames_missed", total.missed},
      {"late_ms", {{"p50", ms(lateness.p50)}, {"p99", ms(lateness.p99)}, {"max", ms(lateness.max)}}},
      {"tick_ms", {{"p50", ms(tick_durations.p50)}, {"p99", ms(tick_durations.p99)}, {"max", ms(tick_durations.max)}}},
      {"migrations", total.migrations},
      {"cpu", cpu_report},
      {"memory", playing_memory},
      {"track_exceptions", notices->failed.load()},
      {"tracks_ended", notices->ended.load()},  // a player whose track ended stops counting frames
  };
  if (drain) report["udp_received"] = drain->received();
  return {report, lateness.p99 < 10ms && total.missed == 0 && notices->failed.load() == 0};
}

}  // namespace

int run_players_bench(const players_bench_options& options) {
  bench::make_inputs(options.media_dir);
  const auto file = options.media_dir / "music.opus";
  const unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
  json::object out;
  if (options.find_max) {
    // Doubling, then bisection, on short runs.
    std::size_t good = 0, bad = 0, n = std::max<std::size_t>(options.count, 1);
    json::array tries;
    while (bad == 0 || bad - good > std::max<std::size_t>(good / 20, 1)) {
      const auto r = run_players(options, threads, n, file);
      tries.push_back(json::object{{"players", n}, {"ok", r.within_limits}, {"late_ms", r.report.at("late_ms")},
                                   {"missed", r.report.at("frames_missed")}});
      if (!options.json) fmt::print("{} players: {}\n", n, r.within_limits ? "ok" : "over");
      if (r.within_limits) good = n;
      else bad = n;
      n = bad == 0 ? n * 2 : (good + bad) / 2;
      if (n == good || n == bad) break;
    }
    out = {{"profile", options.profile}, {"max_players", good}, {"tries", tries}};
  } else {
    out = run_players(options, threads, options.count, file).report;
  }
  if (options.profile != "passthrough") {
    const double ceiling = codec_ceiling(file, threads, {});
    out["codec_ceiling_players"] = ceiling;
    const double players = options.find_max ? static_cast<double>(out.at("max_players").as_uint64())
                                            : static_cast<double>(options.count);
    out["fraction_of_ceiling"] = players / ceiling;
  }
  // The report is JSON either way; --json only leaves out the search's progress lines.
  fmt::print("{}\n", json::serialize(out));
  return 0;
}

}  // namespace spence::app
