// `spence demo`: the whole stack on one machine, offline. It starts the Discord emulator, a guild
// player and the guild's voice connection, plays a generated sample through them (player, Opus
// passthrough, RTP, transport encryption, UDP, the emulator's SFU and checker), prints live frame
// statistics from both ends, writes what the emulator received to an Ogg file, and finally replays
// the trace it recorded to show the run reproduces exactly.

#include "app/commands.hpp"
#include "app/demo_sample.hpp"
#include "app/notice_counter.hpp"
#include "app/voice_guilds.hpp"

#include "actors/trace_writer.hpp"
#include "engine/memory_source.hpp"
#include "engine/player/media_log.hpp"
#include "engine/player/player_actor.hpp"
#include "net/voice/voice_connection_actor.hpp"
#include "net/voice/voice_emulator.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <fmt/format.h>

#include <thread>
#include <unistd.h>

namespace spence::app {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

// The emulator in its own thread, as Discord would be another machine.
class emulator_thread {
 public:
  explicit emulator_thread(const std::filesystem::path& ogg_dir) {
    net::voice_emulator_options options;
    options.ogg_dir = ogg_dir;
    emulator = std::make_shared<net::voice_emulator>(io_.get_executor(), options);
    emulator->start();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~emulator_thread() {
    emulator->stop();
    work_.reset();
    thread_.join();
  }
  std::shared_ptr<net::voice_emulator> emulator;

 private:
  asio::io_context io_;
  asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
  std::thread thread_;
};

}  // namespace

int run_demo(const demo_options& options) {
  const auto sample = demo_sample(options.seconds);
  const auto streams_dir = std::filesystem::temp_directory_path() / fmt::format("spence-demo-{}", ::getpid());
  std::filesystem::create_directories(streams_dir);
  auto writer = actors::trace_writer::open({options.trace});
  if (!writer) {
    fmt::print(stderr, "demo: cannot write the trace {}: {}\n", options.trace.string(), writer.error().message());
    return 2;
  }
  std::optional<emulator_thread> discord(std::in_place, streams_dir);
  auto emulator = discord->emulator;
  const auto endpoint = fmt::format("ws://127.0.0.1:{}", emulator->gateway_endpoint().port());
  fmt::print("demo: the Discord emulator listens on {} (UDP {}); playing a generated {:.1f} s sample\n", endpoint,
             emulator->udp_endpoint().port(), options.seconds);

  voice_guilds_options setup;
  setup.threads = options.threads;
  setup.trace = writer->get();
  setup.media_logs = engine::media_logs_beside(options.trace);
  setup.open = [&sample](const std::string& name) { return std::make_unique<engine::memory_source>(sample, name); };
  setup.voice.seed = 1;
  voice_guilds guilds(std::move(setup));
  auto& rt = guilds.runtime();
  const auto sink = guilds.sink("1");
  // A track that failed or a voice connection Discord closed ends the demo, and is shown.
  auto watch = std::make_shared<notice_counter>([](notice_kind kind, std::string_view line) {
    if (kind == notice_kind::track_exception || kind == notice_kind::voice_closed) fmt::print(stderr, "demo: {}", line);
  });
  rt.add_effect_sink("demo.events", watch);

  auto connection = rt.spawn<net::voice_connection_actor>("/demo/guild/1/voice", {"1", "demo.events", {}});
  auto player = rt.spawn<engine::player_actor>("/demo/guild/1/player", {"1", "demo.events", {}, 5000, {}});
  if (!connection || !player) {
    fmt::print(stderr, "demo: cannot start the guild's actors\n");
    return 2;
  }
  (void)connection->try_send(net::join_voice{endpoint, "1000", "2000", {"demo-session"}, {"demo-token"}});
  net::voice_state state;
  const auto give_up = std::chrono::steady_clock::now() + 10s;
  while (state.state != "ready" && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(20ms);
    state = ask_and_wait<net::voice_state, net::get_voice_state>(rt, *connection).value_or(state);
  }
  bool ok = state.state == "ready";
  if (!ok) fmt::print(stderr, "demo: no voice session ({}: {})\n", state.state, state.reason);
  if (ok) {
    (void)player->try_send(engine::play_track{"demo-sample.opus", 0, std::nullopt, false});
    auto next_report = std::chrono::steady_clock::now() + 1s;
    while (watch->ended == 0 && watch->failed + watch->closed == 0) {
      std::this_thread::sleep_for(20ms);
      if (std::chrono::steady_clock::now() < next_report) continue;
      next_report += 1s;
      const auto played = ask_and_wait<engine::player_state, engine::get_player_state>(rt, *player);
      const auto streams = emulator->relay()->streams();
      if (!played || streams.empty()) continue;
      const auto& s = streams.front();
      // The player's position comes from its shard's reports (one a second); the packet counts are live.
      fmt::print("demo: at {:4.1f} s, {} packets sent, {} frames nulled | emulator: {} received, {} lost, jitter {:.2f} ms, "
                 "{} decode errors\n",
                 played->position_ms / 1000.0, sink->counters().sent, played->nulled, s.packets, s.lost, s.jitter_ms,
                 s.decode_errors);
    }
    std::this_thread::sleep_for(300ms);  // the five silence frames that end the stream
    ok = watch->ended > 0 && watch->failed + watch->closed == 0;
  }
  (void)connection->try_send(net::leave_voice{});
  std::this_thread::sleep_for(100ms);
  guilds.shutdown();
  (*writer)->close();
  discord.reset();  // stops the emulator: its Ogg files are complete
  emulator->relay()->finish();

  const auto streams = emulator->relay()->streams();
  const auto counters = sink->counters();
  if (streams.size() == 1) {
    const auto& s = streams.front();
    std::filesystem::rename(streams_dir / fmt::format("{}.ogg", s.ssrc), options.output);
    fmt::print("demo: sent {} packets (+{} silence); the emulator received {}: {} lost, {} late, {} decode errors, "
               "{} timestamp jumps, jitter {:.2f} ms\n",
               counters.sent, s.silence_frames, s.packets, s.lost, s.late, s.decode_errors, s.timestamp_jumps, s.jitter_ms);
    fmt::print("demo: what the emulator heard is in {}\n", options.output.string());
    ok = ok && s.lost == 0 && s.decode_errors == 0 && s.packets == counters.sent + s.silence_frames;
  } else {
    fmt::print(stderr, "demo: the emulator received {} streams, expected 1\n", streams.size());
    ok = false;
  }
  std::filesystem::remove_all(streams_dir);
  fmt::print("demo: replaying the trace {}\n", options.trace.string());
  const int replayed = run_replay(options.trace, false);
  return ok && replayed == 0 ? 0 : 1;
}

}  // namespace spence::app
