// The player session offline: what its reports say (ticks, gaps, commands, counts, Lavalink's
// frame statistics, digests), and that live reports go one at a time without losing any.

#include "engine/player/player_session.hpp"

#include "engine/player/null_sink.hpp"

#include "tests/engine/core/synthetic_media.hpp"

#include <gtest/gtest.h>

namespace spence::engine {
namespace {

using namespace std::chrono_literals;

track_to_play sine_track(std::size_t frames) {
  auto source = std::make_unique<test::encoded_sine>(std::vector<int>(frames, 960), 450);
  return {"sine", std::make_unique<track_reader>(test::opus_media(std::move(source)), track_settings{}), std::nullopt};
}

void play(player_session& s, std::uint64_t id, std::size_t frames) {
  auto holder = std::make_shared<track_to_play>(sine_track(frames));
  s.apply(id, [holder](player_engine& e) { e.play(std::move(*holder)); });
}

actors::clock::time_point at(std::uint64_t frame) { return actors::clock::time_point{} + 20ms * frame; }

TEST(player_session, ReportsTicksGapsCommandsAndCounts) {
  player_session s({}, std::make_shared<null_sink>(), /*digest=*/true);
  play(s, 1, 100);
  for (std::uint64_t f = 10; f < 20; ++f) s.tick(f, at(f));
  s.apply(2, [](player_engine&) { throw std::invalid_argument("refused"); });  // noted with its reason
  for (std::uint64_t f = 25; f < 30; ++f) s.tick(f, at(f));  // five frames skipped before these
  auto r = s.take_report();
  EXPECT_EQ(r.first_tick, 0u);
  EXPECT_EQ(r.first_frame, 10u);
  EXPECT_EQ(r.frames, 15u);
  ASSERT_EQ(r.gaps.size(), 1u);
  EXPECT_EQ(r.gaps[0].at, 10u);
  EXPECT_EQ(r.gaps[0].frame, 25u);
  ASSERT_EQ(r.applied.size(), 2u);
  EXPECT_EQ(r.applied[0].command, 1u);
  EXPECT_EQ(r.applied[0].at, 0u);
  EXPECT_EQ(r.applied[0].error, "");
  EXPECT_EQ(r.applied[1].at, 10u);
  EXPECT_EQ(r.applied[1].error, "refused");
  EXPECT_EQ(r.sent, 15u);
  EXPECT_EQ(r.nulled, 0u);
  ASSERT_EQ(r.events.size(), 1u);
  EXPECT_EQ(r.events[0].type, "TrackStartEvent");
  EXPECT_NEAR(r.position_ms, 15 * 20, 10);  // the stream's pre-skip is not audio
  EXPECT_EQ(r.digest.size(), 64u);
  auto next = s.take_report();
  EXPECT_EQ(next.first_tick, 15u);
  EXPECT_EQ(next.first_frame, 30u);
  EXPECT_EQ(next.frames, 0u);
  EXPECT_EQ(next.sent, 0u);
}

TEST(player_session, TheSameSessionDigestsTheSameAndAnotherDiffers) {
  auto run = [](std::size_t frames, std::uint64_t skip_at) {
    player_session s({}, std::make_shared<null_sink>(), true);
    play(s, 1, frames);
    for (std::uint64_t f = 0; f < 20; ++f) s.tick(f == skip_at ? 100 : f, at(f));
    return s.take_report().digest;
  };
  EXPECT_EQ(run(50, 99), run(50, 99));
  EXPECT_NE(run(50, 99), run(10, 99));  // the track ends early: frames without packets
}

TEST(player_session, ReportsLavalinksFrameStatisticsOnceAMinuteIsWhole) {
  player_session s({}, std::make_shared<null_sink>(), false);
  play(s, 1, 3100);
  // From the last frame of minute 0, through the whole of minute 1, into minute 2.
  for (std::uint64_t f = 2999; f < 6000; ++f) s.tick(f, at(f));
  EXPECT_FALSE(s.take_report().last_minute);  // minute 1 is not over yet
  s.tick(6000, at(6000));
  auto r = s.take_report();
  ASSERT_TRUE(r.last_minute);
  EXPECT_EQ(*r.last_minute, (frame_counts{3000, 0, 0}));
  EXPECT_EQ(r.digest, "");  // not recorded
}

TEST(player_session, LiveReportsGoOneAtATimeAndNoneIsLost) {
  player_session s({}, std::make_shared<null_sink>(), false);
  std::vector<frames_played> delivered;
  s.deliver_reports([&](frames_played r) { delivered.push_back(std::move(r)); });
  play(s, 1, 500);
  s.tick(0, at(0));  // the command and the start event: reported at once
  ASSERT_EQ(delivered.size(), 1u);
  for (std::uint64_t f = 1; f <= 120; ++f) s.tick(f, at(f));
  EXPECT_EQ(delivered.size(), 1u) << "a second report went out before the first was acknowledged";
  EXPECT_TRUE(s.acknowledge());  // news waits
  s.flush();
  ASSERT_EQ(delivered.size(), 2u);
  EXPECT_EQ(delivered[1].first_tick, 1u);
  EXPECT_EQ(delivered[1].frames, 120u);  // everything since, in one report
  EXPECT_FALSE(s.acknowledge());
  for (std::uint64_t f = 121; f <= 170; ++f) s.tick(f, at(f));
  ASSERT_EQ(delivered.size(), 3u);  // a second of frames
  EXPECT_EQ(delivered[2].frames, 50u);
  std::uint64_t frames = 0;
  for (const auto& r : delivered) frames += r.frames;
  EXPECT_EQ(frames, 171u);
}

}  // namespace
}  // namespace spence::engine
