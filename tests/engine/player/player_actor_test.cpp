// The guild player actor on a live runtime with real tick shards: commands, events as notices, a
// failed open, destroy; and the replay proof: a recorded session (commands and media
// reads) replays offline with identical packet digests, and a changed media byte diverges at the
// report that played it.

#include "engine/player/player_actor.hpp"

#include "actors/replay.hpp"
#include "actors/trace_writer.hpp"
#include "engine/memory_source.hpp"
#include "engine/player/media_log.hpp"

#include "tests/engine/core/synthetic_media.hpp"
#include "tests/engine/wav/wav_builder.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_to.hpp>

#include <gtest/gtest.h>

#include <condition_variable>
#include <filesystem>
#include <fstream>

namespace spence::engine {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The notices a player emits, as the effect sink receives them (JSON lines).
class notice_sink final : public actors::effect_sink {
 public:
  void write(std::span<const std::byte> bytes) override {
    std::lock_guard lock(mutex_);
    text_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (auto newline = text_.find('\n'); newline != std::string::npos; newline = text_.find('\n')) {
      notices_.push_back(boost::json::value_to<player_notice>(boost::json::parse(text_.substr(0, newline))));
      text_.erase(0, newline + 1);
    }
    changed_.notify_all();
  }

  // Waits until a notice of `type` (and `reason`, if given) for `track` arrives.
  bool wait_for(const std::string& type, const std::string& track, const std::string& reason = {},
                std::chrono::milliseconds timeout = 5s) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] {
      return std::any_of(notices_.begin(), notices_.end(), [&](const player_notice& n) {
        return n.type == type && n.track == track && (reason.empty() || n.reason == reason);
      });
    });
  }
  // The events, without position updates.
  std::vector<std::string> summary() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out;
    for (const auto& n : notices_)
      if (n.type != "PlayerUpdate") out.push_back(n.type + " " + n.track + (n.reason.empty() ? "" : " " + n.reason));
    return out;
  }
  std::vector<std::int64_t> update_positions() {
    std::lock_guard lock(mutex_);
    std::vector<std::int64_t> out;
    for (const auto& n : notices_)
      if (n.type == "PlayerUpdate") out.push_back(n.position_ms);
    return out;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::string text_;
  std::vector<player_notice> notices_;
};

// Packets per guild, as a voice connection would take them.
class counting_sink final : public packet_sink {
 public:
  void send(const outgoing_frame& frame) override {
    std::lock_guard lock(mutex);
    packets.emplace_back(frame.opus.begin(), frame.opus.end());
  }
  void flush() override {}
  sink_counters counters() const override { return {}; }

  std::mutex mutex;
  std::vector<std::vector<std::uint8_t>> packets;
};

constexpr std::string_view events_sink = "player.events";

play_track play(std::string track, std::int64_t start_ms = 0, std::optional<std::int64_t> end_ms = std::nullopt,
                bool no_replace = false) {
  return {std::move(track), start_ms, end_ms, no_replace};
}

// The media a test's players can open, by name; anything else fails to open.
using media_library = std::map<std::string, std::vector<std::uint8_t>>;

std::function<std::unique_ptr<byte_source>(const std::string&)> opener(std::shared_ptr<const media_library> media) {
  return [media](const std::string& track) -> std::unique_ptr<byte_source> {
    auto it = media->find(track);
    if (it == media->end()) throw media_error(media_errc::io, track, "no such file");
    return std::make_unique<memory_source>(it->second, track);
  };
}

// A node's worth of live machinery: the actor runtime, tick shards on its pool, an opening pool.
class live_node {
 public:
  explicit live_node(std::shared_ptr<const media_library> media, actors::trace_sink* trace = nullptr,
                     fs::path media_logs = {})
      : rt_({2, trace}) {
    auto clock = std::make_shared<actors::real_clock>();
    shard_pool_options options;
    options.shards = 1;
    options.frames = frame_clock(clock->now());
    shards_ = std::make_shared<shard_pool>(rt_.executor(), clock, options);
    auto services = std::make_shared<player_services>();
    services->shards = shards_;
    services->opening = opening_.get_executor();
    services->open = opener(std::move(media));
    services->make_sink = [this](const std::string&) { return sink; };
    services->media_logs = std::move(media_logs);
    rt_.services().provide(services);
    rt_.add_effect_sink(std::string(events_sink), notices);
  }
  ~live_node() { shut_down(); }

  void shut_down() {
    if (down_) return;
    down_ = true;
    rt_.shutdown(2s);
    shards_->stop();
    opening_.join();
  }

  actors::actor_ref<player_actor::protocol> spawn(const std::string& guild, std::uint32_t update_interval_ms = 5000,
                                                  player_settings settings = {}) {
    auto r = rt_.spawn<player_actor>("/node/guild/" + guild + "/player",
                                     {guild, std::string(events_sink), settings, update_interval_ms, {}});
    EXPECT_TRUE(r) << r.error().message();
    return *r;
  }

  player_state state(const actors::actor_ref<player_actor::protocol>& player) {
    auto f = boost::asio::co_spawn(
        rt_.executor(),
        actors::ask<player_state>(player, [](actors::reply_to<player_state> r) { return get_player_state{r}; }, 2s),
        boost::asio::use_future);
    auto r = f.get();
    EXPECT_TRUE(r);
    return r ? *r : player_state{};
  }

  std::shared_ptr<notice_sink> notices = std::make_shared<notice_sink>();
  std::shared_ptr<counting_sink> sink = std::make_shared<counting_sink>();

 private:
  boost::asio::thread_pool opening_{1};
  actors::runtime rt_;
  std::shared_ptr<shard_pool> shards_;
  bool down_ = false;
};

std::shared_ptr<media_library> test_media() {
  auto media = std::make_shared<media_library>();
  (*media)["short"] = test::ogg_sine(25, 450);   // half a second
  (*media)["long"] = test::ogg_sine(250, 450);   // five seconds
  (*media)["other"] = test::ogg_sine(100, 900);  // two seconds
  return media;
}

TEST(player_actor, PlaysATrackThroughItsShardAndReportsItsEvents) {
  auto media = test_media();
  live_node node(media);
  auto player = node.spawn("1");
  ASSERT_FALSE(player.try_send(play("short")));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "short", "finished"));
  EXPECT_EQ(node.notices->summary(), (std::vector<std::string>{"TrackStartEvent short", "TrackEndEvent short finished"}));
  auto state = node.state(player);
  EXPECT_EQ(state.track, "");
  EXPECT_GE(state.frames, 25u);
  // Passthrough: the file's own 25 packets, in order.
  test::encoded_sine source(std::vector<int>(25, 960), 450);
  std::lock_guard lock(node.sink->mutex);
  ASSERT_EQ(node.sink->packets.size(), 25u);
  for (std::size_t i = 0; i < 25; ++i) EXPECT_EQ(node.sink->packets[i], source.packet(i)) << i;
}

TEST(player_actor, CommandsTakeEffectAndStateFollowsThem) {
  live_node node(test_media());
  auto player = node.spawn("2");
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
  ASSERT_FALSE(player.try_send(set_player_volume{40}));
  ASSERT_FALSE(player.try_send(seek_track{3000}));
  ASSERT_FALSE(player.try_send(pause_player{true}));
  auto paused = node.state(player);
  EXPECT_TRUE(paused.paused);
  EXPECT_EQ(paused.volume_percent, 40);
  EXPECT_EQ(paused.track, "long");
  // The seek happened before the pause: the position is past it and stays while paused.
  std::this_thread::sleep_for(200ms);
  auto still = node.state(player);
  EXPECT_GE(still.position_ms, 3000);
  std::this_thread::sleep_for(200ms);
  EXPECT_EQ(node.state(player).position_ms, still.position_ms);
  ASSERT_FALSE(player.try_send(pause_player{false}));
  ASSERT_FALSE(player.try_send(set_player_volume{5000}));  // clamped to 1000
  ASSERT_FALSE(player.try_send(stop_track{}));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "long", "stopped"));
  auto stopped = node.state(player);
  EXPECT_EQ(stopped.track, "");
  EXPECT_EQ(stopped.volume_percent, 1000);
  EXPECT_FALSE(stopped.paused);
}

// The position asked for is current, as lavaplayer's is, not the last report's (they come every
// second): it runs on between reports, a seek counts as done at once, and a pause holds it.
TEST(player_actor, TheStatesPositionIsCurrentBetweenReports) {
  live_node node(test_media());
  auto player = node.spawn("9");
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
  std::this_thread::sleep_for(600ms);
  const auto playing = node.state(player).position_ms;
  EXPECT_GE(playing, 400) << "the first report comes after a second";
  EXPECT_LT(playing, 1000);
  ASSERT_FALSE(player.try_send(seek_track{2000}));
  const auto sought = node.state(player).position_ms;
  EXPECT_GE(sought, 2000);
  EXPECT_LT(sought, 2200);
  ASSERT_FALSE(player.try_send(pause_player{true}));
  // The pause's fade-out plays a frame or so, which the next report counts.
  std::this_thread::sleep_for(300ms);
  const auto paused = node.state(player).position_ms;
  EXPECT_LE(paused - sought, 100);
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(node.state(player).position_ms, paused) << "paused, the position stands";
  ASSERT_FALSE(player.try_send(pause_player{false}));
  std::this_thread::sleep_for(300ms);
  const auto resumed = node.state(player).position_ms;
  EXPECT_GE(resumed, paused + 200);
  EXPECT_LT(resumed, paused + 600) << "the pause is not counted as played";
}

TEST(player_actor, PositionUpdatesFollowPlayAndComeAtOnceAfterASeek) {
  live_node node(test_media());
  auto player = node.spawn("6", 400);
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
  std::this_thread::sleep_for(2300ms);
  ASSERT_FALSE(player.try_send(seek_track{4000}));
  for (int i = 0; i < 100; ++i) {
    auto positions = node.notices->update_positions();
    if (!positions.empty() && positions.back() >= 4000) break;
    std::this_thread::sleep_for(10ms);
  }
  auto positions = node.notices->update_positions();
  // At the start, with each report once 400 ms have played (reports come every second), and after
  // the seek.
  ASSERT_GE(positions.size(), 4u);
  EXPECT_LT(positions.front(), 400);
  EXPECT_TRUE(std::is_sorted(positions.begin(), positions.end()));
  EXPECT_GE(positions.back(), 4000);
  EXPECT_LT(positions.back(), 4400);  // at once, not at the next interval
  EXPECT_LT(positions[positions.size() - 2], 2600);
}

TEST(player_actor, CommandsSentWhileATrackOpensKeepTheirOrder) {
  live_node node(test_media());
  auto player = node.spawn("7");
  // The stop arrives while "long" is still being opened: it must stop it, not come before it.
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_FALSE(player.try_send(stop_track{}));
  ASSERT_FALSE(player.try_send(set_player_volume{50}));
  for (int i = 0; i < 100 && node.state(player).volume_percent != 50; ++i) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(300ms);
  std::size_t sent = 0;
  {
    std::lock_guard lock(node.sink->mutex);
    sent = node.sink->packets.size();
  }
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(node.state(player).track, "");
  std::lock_guard lock(node.sink->mutex);
  EXPECT_EQ(node.sink->packets.size(), sent) << "the track plays on after its stop";
  EXPECT_LT(sent, 25u);
}

TEST(player_actor, ReportsOfAnotherIncarnationAreIgnored) {
  live_node node(test_media());
  auto player = node.spawn("8");
  frames_played stale;
  stale.incarnation = 12345;  // not this player's: a session from before a restart
  stale.frames = 500;
  player_notice ghost;
  ghost.type = "TrackStartEvent";
  ghost.track = "ghost";
  stale.events.push_back(ghost);
  ASSERT_FALSE(player.try_send(stale));
  ASSERT_FALSE(player.try_send(play("short")));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "short", "finished"));
  EXPECT_EQ(node.notices->summary(), (std::vector<std::string>{"TrackStartEvent short", "TrackEndEvent short finished"}));
  EXPECT_LT(node.state(player).frames, 100u);
}

TEST(player_actor, AFailedOpenIsReportedAndThePlayerCarriesOn) {
  live_node node(test_media());
  auto player = node.spawn("3");
  ASSERT_FALSE(player.try_send(play("missing")));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "missing", "loadFailed"));
  ASSERT_FALSE(player.try_send(play("short")));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "short", "finished"));
  EXPECT_EQ(node.notices->summary(),
            (std::vector<std::string>{"TrackExceptionEvent missing", "TrackEndEvent missing loadFailed",
                                      "TrackStartEvent short", "TrackEndEvent short finished"}));
}

TEST(player_actor, NoReplaceKeepsThePlayingTrackAndReplaceEndsIt) {
  live_node node(test_media());
  auto player = node.spawn("4");
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
  ASSERT_FALSE(player.try_send(play("short", 0, std::nullopt, /*no_replace=*/true)));
  ASSERT_FALSE(player.try_send(play("other", 500, 1000)));  // half a second of it
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "other", "finished"));
  EXPECT_EQ(node.notices->summary(),
            (std::vector<std::string>{"TrackStartEvent long", "TrackEndEvent long replaced", "TrackStartEvent other",
                                      "TrackEndEvent other finished"}));
}

// A 44.1 kHz source goes through the resampler the player's settings choose.
TEST(player_actor, ResamplesWithTheQualityItsSettingsChoose) {
  auto media = std::make_shared<media_library>();
  test::bytes pcm;
  for (std::int64_t i = 0; i < 44100 / 2; ++i) {  // half a second of a 1 kHz tone, both channels
    const auto sample = static_cast<std::int16_t>(12000 * test::sine_sample(1000, 44100, i));
    for (int channel = 0; channel < 2; ++channel) test::put16(pcm, static_cast<std::uint16_t>(sample));
  }
  (*media)["cd"] = test::riff({test::chunk("fmt ", test::fmt_body(1, 2, 44100, 16)), test::chunk("data", pcm)});
  auto packets_with = [&](resampler_quality quality) {
    live_node node(media);
    player_settings settings;
    settings.resampling = quality;
    auto player = node.spawn("6", 5000, settings);
    EXPECT_FALSE(player.try_send(play("cd")));
    EXPECT_TRUE(node.notices->wait_for("TrackEndEvent", "cd", "finished"));
    node.shut_down();
    return node.sink->packets;
  };
  const auto linear = packets_with(resampler_quality::linear);
  ASSERT_GE(linear.size(), 25u);
  EXPECT_EQ(packets_with(resampler_quality::linear), linear);  // the same converter, the same packets
  EXPECT_NE(packets_with(resampler_quality::best), linear);
}

TEST(player_actor, DestroyEndsTheTrackAsCleanupAndStopsThePlayer) {
  live_node node(test_media());
  auto player = node.spawn("5");
  ASSERT_FALSE(player.try_send(play("long")));
  ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
  ASSERT_FALSE(player.try_send(destroy_player{}));
  ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "long", "cleanup"));
  for (int i = 0; i < 200 && !player.stopped(); ++i) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(player.stopped());
}

// Records one session for the replay tests: several tracks, transcoding (volume), a seek, a pause,
// a replace, a failed open, a natural end and a destroy.
class player_replay : public ::testing::Test {
 protected:
  static inline fs::path dir;
  static inline fs::path trace;

  static void SetUpTestSuite() {
    dir = fs::temp_directory_path() / ("spence-player-replay-" + std::to_string(::getpid()));
    trace = dir / "session.trace";
    fs::create_directories(media_logs_beside(trace));
    auto writer = actors::trace_writer::open({trace, 64 * 1024 * 1024});
    ASSERT_TRUE(writer);
    {
      live_node node(test_media(), writer->get(), media_logs_beside(trace));
      auto player = node.spawn("42");
      ASSERT_FALSE(player.try_send(play("long")));
      ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "long"));
      std::this_thread::sleep_for(300ms);
      ASSERT_FALSE(player.try_send(set_player_volume{60}));
      std::this_thread::sleep_for(300ms);
      ASSERT_FALSE(player.try_send(seek_track{4000}));
      ASSERT_FALSE(player.try_send(pause_player{true}));
      std::this_thread::sleep_for(100ms);
      ASSERT_FALSE(player.try_send(pause_player{false}));
      ASSERT_FALSE(player.try_send(play("missing")));
      ASSERT_FALSE(player.try_send(play("other", 1000)));
      ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "other", "finished"));
      ASSERT_FALSE(player.try_send(play("short")));
      ASSERT_TRUE(node.notices->wait_for("TrackStartEvent", "short"));
      ASSERT_FALSE(player.try_send(destroy_player{}));
      ASSERT_TRUE(node.notices->wait_for("TrackEndEvent", "short", "cleanup"));
      node.shut_down();
    }
    (*writer)->close();
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }

  static actors::actor_registry registry(const fs::path& media_logs) {
    actors::actor_registry r;
    register_player_kind(r);
    auto services = std::make_shared<player_services>();
    services->media_logs = media_logs;
    r.services().provide(services);
    return r;
  }

  // How many reports of played frames the trace holds, and how many carry a digest.
  static std::pair<int, int> reports() {
    std::ifstream in(trace);
    int reports = 0, digested = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.find("frames_played") == std::string::npos) continue;
      ++reports;
      if (line.find("\"digest\":\"\"") == std::string::npos) ++digested;
    }
    return {reports, digested};
  }
};

TEST_F(player_replay, ARecordedSessionReplaysWithIdenticalDigests) {
  auto [reports, digested] = player_replay::reports();
  EXPECT_GE(reports, 5);
  EXPECT_EQ(digested, reports);
  auto report = actors::replay_trace(trace, registry(media_logs_beside(trace)));
  ASSERT_TRUE(report) << report.error().describe();
  EXPECT_TRUE(report->complete);
  EXPECT_GE(report->messages, static_cast<std::uint64_t>(reports));
  EXPECT_GT(report->checkpoints, 0u);
  EXPECT_FALSE(report->first_divergence) << report->first_divergence->type << ": " << report->first_divergence->actual;
}

TEST_F(player_replay, ChangedMediaDivergesAtTheReportThatPlayedIt) {
  // Edit a copy of the logs: the audio of the five-second track from the seek to 4 s on, which it
  // played before it was replaced (every 500th byte of its last read), not what opening it read.
  auto edited = dir / "edited-media";
  fs::create_directories(edited);
  fs::path longest;
  for (const auto& entry : fs::directory_iterator(media_logs_beside(trace))) {
    fs::copy_file(entry.path(), edited / entry.path().filename(), fs::copy_options::overwrite_existing);
    if (longest.empty() || entry.file_size() > fs::file_size(longest)) longest = entry.path();
  }
  ASSERT_FALSE(longest.empty());
  std::ifstream in(longest, std::ios::binary);
  std::vector<std::uint8_t> log{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  auto u64 = [&](std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | log.at(at + static_cast<std::size_t>(i));
    return v;
  };
  // The record layout of media_log.cpp: header, then kind byte and fixed fields per record.
  std::size_t at = 8 + 8 + u64(8) + 2 + 8, last_read = 0, last_read_bytes = 0;
  while (at < log.size()) {
    const char kind = static_cast<char>(log[at++]);
    if (kind == 'R') {
      const auto returned = u64(at + 8);
      if (returned > 1000) last_read = at + 16, last_read_bytes = returned;
      at += 16 + returned;
    } else {
      ASSERT_TRUE(kind == 'S' || kind == 'A' || kind == 'W') << "unexpected record " << kind;
      at += kind == 'S' ? 8 : 16;
    }
  }
  std::size_t flipped = 0;
  for (std::size_t i = 0; i < last_read_bytes; i += 500, ++flipped) log.at(last_read + i) ^= 0x5a;
  ASSERT_GT(flipped, 10u);
  std::ofstream(edited / longest.filename(), std::ios::binary).write(reinterpret_cast<const char*>(log.data()),
                                                                     static_cast<std::streamsize>(log.size()));
  auto report = actors::replay_trace(trace, registry(edited));
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_TRUE(report->first_divergence);
  EXPECT_NE(report->first_divergence->type.find("frames_played"), std::string::npos) << report->first_divergence->type;
  EXPECT_NE(report->first_divergence->actual.find("replay diverged"), std::string::npos)
      << report->first_divergence->actual;
}

TEST_F(player_replay, AChangedDigestInTheTraceDivergesThere) {
  auto copy = dir / "edited-trace" / trace.filename();
  fs::create_directories(copy.parent_path());
  std::ifstream in(trace);
  std::ofstream out(copy);
  bool edited = false;
  std::uint64_t edited_seq = 0;
  for (std::string line; std::getline(in, line);) {
    const auto digest = line.find("\"digest\":\"");
    if (!edited && line.find("frames_played") != std::string::npos && digest != std::string::npos) {
      auto& c = line[digest + 10];
      c = c == '0' ? '1' : '0';
      edited = true;
      edited_seq = boost::json::parse(line).at("seq").to_number<std::uint64_t>();
    }
    out << line << '\n';
  }
  out.close();
  ASSERT_TRUE(edited);
  auto report = actors::replay_trace(copy, registry(media_logs_beside(trace)));
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_TRUE(report->first_divergence);
  EXPECT_EQ(report->first_divergence->seq, edited_seq);
  EXPECT_NE(report->first_divergence->actual.find("the packets differ"), std::string::npos)
      << report->first_divergence->actual;
}

TEST_F(player_replay, WithoutItsMediaLogsAReplayStopsAtTheFirstTrack) {
  auto report = actors::replay_trace(trace, registry(dir / "nowhere"));
  ASSERT_TRUE(report) << report.error().describe();
  ASSERT_TRUE(report->first_divergence);
  EXPECT_NE(report->first_divergence->type.find("track_opened"), std::string::npos) << report->first_divergence->type;
}

}  // namespace
}  // namespace spence::engine
