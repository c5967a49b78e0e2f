// A guild player on a real HTTP source that stalls mid-track: an Ogg Opus file served from the
// loopback fault server, which sends its head and then holds the rest until the test releases it.
// The engine must never wait on the network on a tick: frames are nulled (and counted), the track is
// reported stuck after the threshold, and the source's packets go on once bytes arrive again.
// It lives here because the engine never links net/; this target links both.

#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/player/player_engine.hpp"
#include "net/http/http_client.hpp"
#include "net/http/http_source.hpp"
#include "tests/engine/core/synthetic_media.hpp"
#include "tests/net/http_fault_server.hpp"

#include <boost/asio/thread_pool.hpp>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <thread>

namespace spence::engine {
namespace {

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

// Records every packet the player sends.
class recording_sink final : public packet_sink {
 public:
  void send(const outgoing_frame& frame) override { packets.emplace_back(frame.opus.begin(), frame.opus.end()); }
  void flush() override {}
  sink_counters counters() const override { return {packets.size(), 0}; }

  std::vector<std::vector<std::uint8_t>> packets;
};

// An Ogg Opus file of `frames` 20 ms packets: a 450 Hz tone (whole cycles per packet, so a cycle of
// 50 encoded packets repeats seamlessly; encoding 3,100 would take a second).
struct ogg_track {
  std::vector<std::uint8_t> bytes;
  std::vector<std::vector<std::uint8_t>> packets;
};

ogg_track ogg_tone(std::size_t frames) {
  test::encoded_sine source(std::vector<int>(50, 960), 450);
  ogg_track out;
  std::ostringstream file;
  {
    ogg_opus_writer writer(file, source.info().head, 7, "spence test");
    for (std::size_t i = 0; i < frames; ++i) {
      out.packets.push_back(source.packet(i % 50));
      writer.write(out.packets.back());
    }
  }
  const auto text = file.str();
  out.bytes.assign(text.begin(), text.end());
  return out;
}

TEST(PlayerOnAStallingHttpSource, NullsFramesWithoutBlockingReportsStuckAndResumes) {
  // Over a minute, so frame_statistics reports frame 0's minute whole.
  const auto track = ogg_tone(3100);
  test::http_fault_server server;
  server.set_content(track.bytes);
  const std::uint64_t hold_at = track.bytes.size() / 3;

  boost::asio::thread_pool pool(2);
  std::optional<net::http_client> client(std::in_place, pool.get_executor());
  net::http_options options;
  // Longer than the stall lasts here, short enough that a tick blocked on a read fails the test
  // quickly rather than at the 15 s default.
  options.stall_timeout = 3s;
  auto media = open_media(
      net::http_source::open(*client, server.url(fmt::format("/song.opus?content=1&hold_after={}", hold_at)), options));
  auto reader = std::make_unique<track_reader>(std::move(media), track_settings{});
  const track_reader& watched = *reader;

  player_settings settings;
  settings.stuck_threshold_ms = 200;  // 10 frames
  auto sink = std::make_shared<recording_sink>();
  std::vector<std::pair<std::uint64_t, player_event>> events;
  std::uint64_t frame = 0;
  player_engine engine(settings, sink, [&](player_event e) { events.push_back({frame, std::move(e)}); });
  ASSERT_TRUE(engine.play({"song", std::move(reader), {}}));

  auto slowest_tick = steady::duration::zero();
  const auto tick = [&] {
    const auto start = steady::now();
    engine.tick(frame, actors::clock::time_point{frame * 20ms});
    slowest_tick = std::max(slowest_tick, steady::now() - start);
    ++frame;
  };
  // Ticks while the network keeps up: each frame once its audio is ready, as real time would allow.
  // Returns at the stall: the server holds and no audio is ready for long after.
  const auto play_while_flowing = [&] {
    auto unready_since = steady::now();
    while (engine.active()) {
      if (watched.ready()) {
        tick();
        unready_since = steady::now();
      } else if (server.holding() && steady::now() - unready_since > 300ms) {
        return;
      } else {
        ASSERT_LT(steady::now() - unready_since, 5s) << "the source never became ready";
        std::this_thread::sleep_for(200us);
      }
    }
  };

  play_while_flowing();
  ASSERT_TRUE(engine.active()) << "the track ended before the stall";
  const auto sent_before = sink->packets.size();
  EXPECT_GT(sent_before, 100u);

  // The stall: 120 ticks, more audio than the bytes a source must hold to be read (so an engine that
  // read anyway would run dry and block), every one nulled, none waiting on the network.
  constexpr int stalled = 120;
  ASSERT_GT(stalled * track.bytes.size() / track.packets.size(), track_reader::ready_bytes);
  const auto stall_start = frame;
  for (int i = 0; i < stalled; ++i) tick();
  EXPECT_LT(slowest_tick, 15ms) << "a tick waited on the network (a nulled tick takes microseconds; the period is 20 ms)";
  EXPECT_EQ(sink->packets.size(), sent_before) << "nothing is sent while no audio is ready";
  EXPECT_EQ(engine.snapshot().frames_nulled, static_cast<std::uint64_t>(stalled));
  std::vector<std::uint64_t> stuck_at;
  for (const auto& [at, e] : events)
    if (const auto* stuck = std::get_if<track_stuck>(&e)) {
      stuck_at.push_back(at);
      EXPECT_EQ(stuck->threshold_ms, 200u);
    }
  EXPECT_EQ(stuck_at, std::vector<std::uint64_t>{stall_start + 9}) << "once, at the 10th nulled frame (200 ms)";

  // A shard running late skips frames: neither sent nor nulled, they are the minute's deficit.
  frame += 5;
  server.release();
  play_while_flowing();
  EXPECT_FALSE(engine.active());

  // Every packet of the file, once and in order: none lost or doubled around the stall.
  EXPECT_EQ(sink->packets, track.packets);
  std::vector<std::string> ends;
  for (const auto& [at, e] : events)
    if (const auto* ended = std::get_if<track_ended>(&e)) ends.emplace_back(to_string(ended->reason));
  EXPECT_EQ(ends, std::vector<std::string>{std::string(to_string(track_end_reason::finished))});

  const auto minute = engine.snapshot().frames;
  ASSERT_TRUE(minute.usable);
  EXPECT_EQ(minute.counts.nulled, stalled);
  EXPECT_EQ(minute.counts.deficit, 5);
  EXPECT_EQ(minute.counts.sent, 3000 - stalled - 5);
  client.reset();
}

}  // namespace
}  // namespace spence::engine
