// A guild's player actor and voice connection actor together, as the node and `spence connect`
// wire them: the player's packets reach the emulator through the guild's voice sink, the
// emulator decodes every one, a move to a new connection keeps the player and its sink, and
// Discord closing the voice WebSocket leaves as a WebSocketClosedEvent notice.

#include "net/voice/voice_connection_actor.hpp"

#include "actors/reply.hpp"
#include "engine/memory_source.hpp"
#include "engine/player/player_actor.hpp"
#include "engine/player/shard_pool.hpp"
#include "net/voice/voice_emulator.hpp"
#include "tests/engine/core/synthetic_media.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace spence::net {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;

class notices final : public actors::effect_sink {
 public:
  void write(std::span<const std::byte> bytes) override {
    std::lock_guard lock(mutex);
    lines.emplace_back(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  }
  bool contains(std::string_view text) {
    std::lock_guard lock(mutex);
    for (const auto& l : lines)
      if (l.find(text) != std::string::npos) return true;
    return false;
  }
  std::mutex mutex;
  std::vector<std::string> lines;
};

class voice_actor_test : public ::testing::Test {
 protected:
  // The emulator runs in its own thread, as another process would.
  asio::io_context emulator_io;
  asio::executor_work_guard<asio::io_context::executor_type> work{emulator_io.get_executor()};
  std::shared_ptr<voice_emulator> emulator;
  std::thread emulator_thread;

  actors::runtime rt{{2, nullptr}};
  std::shared_ptr<actors::real_clock> clock = std::make_shared<actors::real_clock>();
  std::shared_ptr<engine::shard_pool> shards;
  asio::thread_pool opening{1};
  std::shared_ptr<voice_sink> sink = std::make_shared<voice_sink>(7);
  std::shared_ptr<notices> events = std::make_shared<notices>();
  std::vector<std::uint8_t> song = test::ogg_sine(50, 440.0);  // one second

  void SetUp() override {
    voice_emulator_options options;
    options.heartbeat_interval = 200ms;
    emulator = std::make_shared<voice_emulator>(emulator_io.get_executor(), options);
    emulator->start();
    emulator_thread = std::thread([this] { emulator_io.run(); });

    engine::shard_pool_options shard_options;
    shard_options.shards = 1;
    shard_options.frames = engine::frame_clock(clock->now());
    shards = std::make_shared<engine::shard_pool>(rt.executor(), clock, shard_options);
    auto players = std::make_shared<engine::player_services>();
    players->shards = shards;
    players->opening = opening.get_executor();
    players->open = [this](const std::string&) { return std::make_unique<engine::memory_source>(song, "song"); };
    players->make_sink = [this](const std::string&) { return sink; };
    rt.services().provide(players);
    auto voice = std::make_shared<voice_services>();
    voice->io = rt.executor();
    voice->sink_for = [this](const std::string&) { return sink; };
    voice->options.first_backoff = 20ms;
    rt.services().provide(voice);
    rt.add_effect_sink("events", events);
  }

  void TearDown() override {
    // The emulator first: its connections close while the clients still run to answer the close.
    emulator->stop();
    rt.shutdown(2s);
    shards->stop();
    opening.join();
    work.reset();
    emulator_thread.join();
  }

  join_voice join(const std::string& user) {
    return {"ws://127.0.0.1:" + std::to_string(emulator->gateway_endpoint().port()), user, "channel",
            {"session-" + user}, {"token-" + user}};
  }

  voice_state state(const actors::actor_ref<voice_connection_actor::protocol>& voice) {
    auto answer = asio::co_spawn(
        rt.executor(),
        [&]() -> asio::awaitable<voice_state> {
          auto r = co_await actors::ask<voice_state>(voice, [](actors::reply_to<voice_state> to) { return get_voice_state{to}; }, 2s);
          co_return r.value();
        },
        asio::use_future);
    return answer.get();
  }

  static bool eventually(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      std::this_thread::sleep_for(10ms);
    }
    return true;
  }

  std::uint64_t received() {
    std::uint64_t n = 0;
    for (const auto& s : emulator->relay()->streams()) n += s.packets;
    return n;
  }
};

TEST_F(voice_actor_test, APlayersTrackReachesTheVoiceServerIntact) {
  auto voice = rt.spawn<voice_connection_actor>("/g/1/voice", {"1", "events", {}}).value();
  auto player = rt.spawn<engine::player_actor>("/g/1/player", {"1", "events", {}, 5000, {}}).value();
  ASSERT_FALSE(voice.try_send(join("bot")));
  ASSERT_TRUE(eventually([&] { return state(voice).state == "ready"; }));
  ASSERT_FALSE(player.try_send(engine::play_track{"song", 0, std::nullopt, false}));
  ASSERT_TRUE(eventually([&] { return events->contains("TrackEndEvent"); }));
  ASSERT_TRUE(eventually([&] { return received() == 55; }));  // 50 frames of audio, 5 of silence
  const auto stream = emulator->relay()->streams().at(0);
  EXPECT_EQ(stream.lost, 0u);
  EXPECT_EQ(stream.decode_errors, 0u);
  EXPECT_EQ(stream.timestamp_jumps, 0u);
  EXPECT_EQ(stream.silence_frames, 5u);
  EXPECT_EQ(sink->counters().dropped, 0u);
}

TEST_F(voice_actor_test, AMoveKeepsThePlayerAndDiscordsClosesBecomeNotices) {
  auto voice = rt.spawn<voice_connection_actor>("/g/1/voice", {"1", "events", {}}).value();
  ASSERT_FALSE(voice.try_send(join("bot")));
  ASSERT_TRUE(eventually([&] { return state(voice).state == "ready"; }));
  ASSERT_FALSE(voice.try_send(join("bot2")));  // moved: a new session on the same sink
  ASSERT_TRUE(eventually([&] { return state(voice).state == "ready" && emulator->stats().at("connected").to_number<int>() == 1; }));
  emulator->disconnect("bot2", 4014, "kicked");
  ASSERT_TRUE(eventually([&] { return state(voice).state == "closed"; }));
  EXPECT_EQ(state(voice).close_code, 4014);
  ASSERT_TRUE(eventually([&] { return events->contains("WebSocketClosedEvent"); }));
  std::lock_guard lock(events->mutex);
  // One close reached Discord's side; the state changes came as notices of their own: the first
  // join's connecting and ready, the move's connecting and ready, then closed.
  std::vector<boost::json::object> closes;
  std::vector<std::string> states;
  for (const auto& line : events->lines) {
    auto n = boost::json::parse(line).as_object();
    if (n.at("type").as_string() == "WebSocketClosedEvent") closes.push_back(n);
    if (n.at("type").as_string() == "VoiceStateChanged") states.emplace_back(n.at("state").as_string());
  }
  EXPECT_EQ(states, (std::vector<std::string>{"connecting", "ready", "connecting", "ready", "closed"}));
  ASSERT_EQ(closes.size(), 1u);
  const auto& notice = closes[0];
  EXPECT_EQ(notice.at("guild_id").as_string(), "1");
  EXPECT_EQ(notice.at("code").to_number<int>(), 4014);
  EXPECT_EQ(notice.at("reason").as_string(), "kicked");
  EXPECT_TRUE(notice.at("by_remote").as_bool());
}

}  // namespace
}  // namespace spence::net
