#include "engine/player/player_engine.hpp"

#include "engine/media_error.hpp"
#include "engine/memory_source.hpp"
#include "engine/opus_decoder.hpp"
#include "engine/player/player_volume.hpp"

#include "tests/engine/core/synthetic_media.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace spence::engine {
namespace {

using test::decode_left;
using test::opus_media;

using test::encoded_sine;
using namespace std::chrono_literals;

constexpr std::size_t frame_samples = track_reader::frame_samples;
// Tones with a whole number of cycles in a 20 ms frame, so a frame's amplitude at each tone can be
// measured without leakage from the other.
constexpr double music_hz = 450, effect_hz = 2000;
// The largest step between consecutive samples of the test tone (amplitude 0.5) at music_hz.
const double tone_step = 0.5 * 2 * std::numbers::pi * music_hz / 48000;

// Records every packet the player sends, with its frame index.
class recording_sink final : public packet_sink {
 public:
  void send(const outgoing_frame& frame) override {
    packets.emplace_back(frame.opus.begin(), frame.opus.end());
    frames.push_back(frame.frame);
  }
  void flush() override { ++flushes; }
  sink_counters counters() const override { return {packets.size(), 0}; }

  std::vector<std::vector<std::uint8_t>> packets;
  std::vector<std::uint64_t> frames;
  int flushes = 0;
};

struct sine_track {
  track_to_play track;
  std::vector<std::vector<std::uint8_t>> packets;  // the source's own
};

sine_track make_track(std::string id, std::size_t frames, double hz = music_hz) {
  auto source = std::make_unique<encoded_sine>(std::vector<int>(frames, 960), hz);
  sine_track out;
  for (std::size_t i = 0; i < frames; ++i) out.packets.push_back(source->packet(i));
  out.track.id = std::move(id);
  out.track.reader = std::make_unique<track_reader>(opus_media(std::move(source)), track_settings{});
  return out;
}

double rms(std::span<const float> x) {
  double sum = 0;
  for (const float v : x) sum += v * v;
  return x.empty() ? 0 : std::sqrt(sum / static_cast<double>(x.size()));
}

std::span<const float> frame_of(const std::vector<float>& left, std::size_t frame) {
  return std::span<const float>(left).subspan(frame * frame_samples, frame_samples);
}

// The amplitude of the `hz` component of one decoded frame (a single-bin DFT; hz has whole cycles
// in a frame).
double tone_amplitude(std::span<const float> x, double hz) {
  double re = 0, im = 0;
  for (std::size_t n = 0; n < x.size(); ++n) {
    const double phase = 2 * std::numbers::pi * hz * static_cast<double>(n) / 48000;
    re += x[n] * std::cos(phase);
    im += x[n] * std::sin(phase);
  }
  return 2 * std::hypot(re, im) / static_cast<double>(x.size());
}

// The largest sample-to-sample step of frames [first, last] of the decoded audio.
double max_step(const std::vector<float>& left, std::size_t first, std::size_t last) {
  double step = 0;
  const auto end = std::min(left.size(), (last + 1) * frame_samples);
  for (std::size_t n = std::max<std::size_t>(1, first * frame_samples); n < end; ++n)
    step = std::max(step, static_cast<double>(std::abs(left[n] - left[n - 1])));
  return step;
}

// A player driven frame by frame, as a tick shard would, recording its events and packets.
struct harness {
  explicit harness(const player_settings& settings = {}, std::uint64_t first_frame = 0)
      : sink(std::make_shared<recording_sink>()),
        engine(settings, sink, [this](player_event e) { events.push_back({frame, std::move(e)}); }),
        frame(first_frame) {}

  void run(std::size_t frames) {
    for (std::size_t i = 0; i < frames; ++i, ++frame) engine.tick(frame, actors::clock::time_point{frame * 20ms});
  }
  // Ticks until the player is idle; fails past `limit` frames.
  void run_until_idle(std::size_t limit) {
    for (std::size_t i = 0; engine.active(); ++i) {
      ASSERT_LT(i, limit) << "the player never went idle";
      run(1);
    }
  }

  template <typename Event>
  std::vector<std::pair<std::uint64_t, Event>> all() const {
    std::vector<std::pair<std::uint64_t, Event>> out;
    for (const auto& [at, e] : events)
      if (const auto* x = std::get_if<Event>(&e)) out.emplace_back(at, *x);
    return out;
  }

  std::shared_ptr<recording_sink> sink;
  std::vector<std::pair<std::uint64_t, player_event>> events;  // with the frame they came on
  player_engine engine;
  std::uint64_t frame;
};

TEST(PlayerEngine, PlaysATrackInPassthrough) {
  harness h;
  auto t = make_track("a", 50);
  ASSERT_TRUE(h.engine.play(std::move(t.track)));
  EXPECT_EQ(h.engine.snapshot().track, "a");
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough);
  EXPECT_TRUE(h.engine.active());
  h.run_until_idle(100);

  EXPECT_EQ(h.sink->packets, t.packets);
  ASSERT_EQ(h.events.size(), 2u);
  ASSERT_TRUE(std::holds_alternative<track_started>(h.events[0].second));
  EXPECT_EQ(std::get<track_started>(h.events[0].second).track, "a");
  ASSERT_TRUE(std::holds_alternative<track_ended>(h.events[1].second));
  EXPECT_EQ(std::get<track_ended>(h.events[1].second).track, "a");
  EXPECT_EQ(std::get<track_ended>(h.events[1].second).reason, track_end_reason::finished);
  EXPECT_FALSE(h.engine.active());
  EXPECT_TRUE(h.engine.snapshot().track.empty());
  EXPECT_EQ(h.engine.snapshot().packets_sent, 50u);
  EXPECT_GE(h.sink->flushes, 1);
}

// lavaplayer's volume curve, at the points its PcmVolumeProcessor gives (tan(percent * 0.0079) up
// to 150%, linear from there), so a volume sounds as loud as it does on Lavalink.
TEST(PlayerVolume, FollowsLavaplayersCurve) {
  EXPECT_EQ(player_volume_gain(100), 1.0f) << "exactly 1, so a track can pass through";
  EXPECT_EQ(player_volume_gain(0), 0.0f);
  EXPECT_FLOAT_EQ(player_volume_gain(50), 0.4169f);
  EXPECT_FLOAT_EQ(player_volume_gain(150), 2.4621f);
  EXPECT_FLOAT_EQ(player_volume_gain(200), 3.2828f);
  EXPECT_FLOAT_EQ(player_volume_gain(1000), 16.414f);
  EXPECT_FLOAT_EQ(player_volume_gain(5000), 16.414f) << "clamped to 1000%";
  EXPECT_EQ(player_volume_gain(-3), 0.0f);
  for (int percent = 1; percent <= 1000; ++percent)
    EXPECT_GT(player_volume_gain(percent), player_volume_gain(percent - 1)) << percent;
}

TEST(PlayerEngine, HalfVolumeTranscodesWithoutAClickAndFullVolumeReturnsToPassthrough) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 150).track));
  h.run(30);
  ASSERT_TRUE(h.engine.snapshot().passthrough);
  h.engine.set_volume(50);
  h.run(1);
  EXPECT_FALSE(h.engine.snapshot().passthrough);
  EXPECT_EQ(h.engine.snapshot().volume_percent, 50);
  h.run(39);
  h.engine.set_volume(100);
  h.run(5);
  EXPECT_TRUE(h.engine.snapshot().passthrough) << "back at 100% the packets pass through again";
  h.run_until_idle(200);

  // One packet per frame throughout, none lost or doubled around the switches.
  EXPECT_EQ(h.sink->packets.size(), 150u);
  const auto left = decode_left(h.sink->packets);
  EXPECT_NEAR(rms(frame_of(left, 20)), 0.354, 0.03);
  EXPECT_NEAR(rms(frame_of(left, 50)), 0.354 * 0.4169, 0.02) << "50% on lavaplayer's curve";
  EXPECT_NEAR(rms(frame_of(left, 100)), 0.354, 0.03);
  // The switch to PCM stays within a bound of the tone's own step.
  EXPECT_LT(max_step(left, 28, 33), 2 * tone_step);
}

// Handing back from PCM to the source's packets (volume back to 100%) is not heard: the receiver's
// decoder, fed the encoder's packets, is not in the state the source's next packet was coded
// against. Handed back blindly (the encoder's last packet padded with silence) this measured about
// +5 dB decaying over ~100 ms (frame RMS 0.18 -> 0.67 -> 0.65 -> 0.48 -> 0.41 where 0.354 is right)
// and a step of 0.16; the encoder now goes on with the source's audio until the switch measures
// clean, and the source's own packets follow.
TEST(PlayerEngine, ReturnToPassthroughHasNoBurst) {
  harness h;
  auto t = make_track("a", 150);
  ASSERT_TRUE(h.engine.play(std::move(t.track)));
  h.run(30);
  h.engine.set_volume(50);
  h.run(40);
  h.engine.set_volume(100);
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough) << "the hand-back takes a few frames, not the rest of the track";
  h.run_until_idle(200);
  ASSERT_EQ(h.sink->packets.size(), 150u);
  EXPECT_TRUE(std::equal(h.sink->packets.begin() + 80, h.sink->packets.end(), t.packets.begin() + 80))
      << "from the hand-back on, the source's own packets";
  const auto left = decode_left(h.sink->packets);
  // Within 0.3 dB of the tone's level, around and after the hand-back.
  for (std::size_t f = 72; f < 90; ++f) EXPECT_NEAR(rms(frame_of(left, f)), 0.354, 0.013) << "frame " << f;
  EXPECT_LT(max_step(left, 68, 90), 1.2 * tone_step);
}

TEST(PlayerEngine, PauseFadesOutStopsSendingAndResumesWhereItWas) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 100).track));
  h.run(20);
  h.engine.set_paused(true);
  h.run(1);  // the fade-out frame
  EXPECT_FALSE(h.engine.active());
  EXPECT_TRUE(h.engine.snapshot().paused);
  const auto sent_before = h.sink->packets.size();
  const auto paused_at = h.engine.snapshot().position_ms;
  h.run(25);
  EXPECT_EQ(h.sink->packets.size(), sent_before) << "nothing is sent while paused";
  EXPECT_EQ(h.engine.snapshot().position_ms, paused_at);
  EXPECT_FALSE(h.engine.active());

  h.engine.set_paused(false);
  EXPECT_TRUE(h.engine.active());
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough) << "resumed, the source's packets take over again";
  // The track went on from where it paused: 10 frames (200 ms) more, give or take the one frame
  // the encoder holds.
  EXPECT_NEAR(static_cast<double>(h.engine.snapshot().position_ms - paused_at), 200, 20);
  h.run_until_idle(200);
  EXPECT_EQ(h.all<track_ended>().size(), 1u);

  const auto left = decode_left(h.sink->packets);
  const auto fade = sent_before - 1;  // the last packet before the pause
  // The fade takes the first quarter of the frame; the rest is silence.
  EXPECT_LT(rms(frame_of(left, fade).subspan(frame_samples * 3 / 4)), 0.01);
  EXPECT_NEAR(rms(frame_of(left, fade - 2)), 0.354, 0.03);
  EXPECT_LT(max_step(left, fade - 2, fade + 1), 2 * tone_step);
  // The resumed audio fades in without a click and is at the full level from the frame after the
  // fade-in on, also where the source's packets take over again. (Resumed on the encoder alone
  // and handed straight back, the level dipped to 0.13 and took 8 frames to come back.)
  EXPECT_LT(max_step(left, fade + 1, fade + 20), 1.2 * tone_step);
  for (auto f = fade + 2; f <= fade + 20; ++f) EXPECT_NEAR(rms(frame_of(left, f)), 0.354, 0.013) << "frame " << f;
}

TEST(PlayerEngine, StopEndsTheTrackAfterTheFadeFrame) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 100).track));
  h.run(20);
  h.engine.stop();
  EXPECT_TRUE(h.all<track_ended>().empty()) << "the stop takes effect on the next frame";
  h.run(1);
  const auto ended = h.all<track_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].second.reason, track_end_reason::stopped);
  EXPECT_TRUE(h.engine.snapshot().track.empty());
  const auto fade = h.sink->packets.size() - 1;
  // What the encoder still holds (silence) ends the stream on the next frame at the latest.
  h.run_until_idle(2);
  const auto sent = h.sink->packets.size();
  h.run(10);
  EXPECT_EQ(h.sink->packets.size(), sent);
  const auto left = decode_left(h.sink->packets);
  EXPECT_LT(rms(frame_of(left, fade).subspan(frame_samples * 3 / 4)), 0.01);
  for (auto f = fade + 1; f < sent; ++f) EXPECT_LT(rms(frame_of(left, f)), 0.01);
  EXPECT_LT(max_step(left, fade - 2, sent - 1), 2 * tone_step);

  // A track played after a stop starts at full volume, in passthrough.
  ASSERT_TRUE(h.engine.play(make_track("b", 50).track));
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough);
}

TEST(PlayerEngine, PlayReplacesThePlayingTrackUnlessToldNotTo) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 100).track));
  h.run(10);
  EXPECT_FALSE(h.engine.play(make_track("x", 100).track, true));
  EXPECT_EQ(h.engine.snapshot().track, "a");
  ASSERT_TRUE(h.engine.play(make_track("b", 100).track));
  EXPECT_EQ(h.engine.snapshot().track, "b");
  h.run(5);

  std::vector<std::string> log;
  for (const auto& [at, e] : h.events) {
    if (const auto* s = std::get_if<track_started>(&e)) log.push_back("start " + s->track);
    if (const auto* x = std::get_if<track_ended>(&e)) log.push_back("end " + x->track + " " + std::string(to_string(x->reason)));
  }
  EXPECT_EQ(log, (std::vector<std::string>{"start a", "end a " + std::string(to_string(track_end_reason::replaced)), "start b"}));
  EXPECT_EQ(h.sink->packets.size(), 15u);
  const auto left = decode_left(h.sink->packets);
  EXPECT_LT(max_step(left, 8, 14), 2 * tone_step) << "the replacement crossfades";
}

TEST(PlayerEngine, SeekJumpsWithoutAClick) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 250).track));
  h.run(20);
  EXPECT_NEAR(static_cast<double>(h.engine.snapshot().position_ms), 400, 20);
  h.engine.seek(3 * 48000 + 123);
  h.run(1);
  EXPECT_NEAR(static_cast<double>(h.engine.snapshot().position_ms), 3022, 45);
  h.run(10);
  h.run_until_idle(100);
  // 20 frames, then the last 2 s of 5 s.
  EXPECT_NEAR(static_cast<double>(h.sink->packets.size()), 20 + 100, 2);
  const auto left = decode_left(h.sink->packets);
  EXPECT_LT(max_step(left, 18, 24), 2 * tone_step);
  EXPECT_NEAR(rms(frame_of(left, 40)), 0.354, 0.03);
  const auto ended = h.all<track_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_EQ(ended[0].second.reason, track_end_reason::finished);
}

// Lavalink's end marker on a playing track: moved, it ends the track there as finished; removed,
// the track plays to its end; set behind the position (counting a seek not yet done), dropped.
TEST(PlayerEngine, TheEndOfAPlayingTrackMovesAsLavalinksEndMarkerDoes) {
  auto ends_after = [](auto&& change) {
    harness h;
    EXPECT_TRUE(h.engine.play(make_track("a", 100).track));  // two seconds
    h.run(10);
    change(h.engine);
    h.run_until_idle(200);
    const auto ended = h.all<track_ended>();
    EXPECT_EQ(ended.size(), 1u);
    EXPECT_EQ(ended.empty() ? track_end_reason::stopped : ended[0].second.reason, track_end_reason::finished);
    return h.sink->packets.size();
  };
  // The source's 312 samples of pre-skip put the audio of its first 30 frames into 31 packets.
  EXPECT_EQ(ends_after([](player_engine& e) { e.set_end(30 * frame_samples); }), 31u);
  EXPECT_EQ(ends_after([](player_engine& e) {
              e.set_end(30 * frame_samples);
              e.set_end(std::nullopt);
            }),
            100u);
  EXPECT_EQ(ends_after([](player_engine& e) { e.set_end(5 * frame_samples); }), 100u);  // already passed
  EXPECT_EQ(ends_after([](player_engine& e) {
              e.seek(50 * frame_samples);
              e.set_end(40 * frame_samples);  // behind the seek
            }),
            10u + 50u);
  // A seek past the end ends the track there.
  EXPECT_EQ(ends_after([](player_engine& e) {
              e.set_end(40 * frame_samples);
              e.seek(60 * frame_samples);
            }),
            11u);  // the seek's own frame (a crossfade into the new position), then the end
}

filter_settings volume_filter_of(float volume) {
  filter_settings filters;
  filters.volume = volume_settings{volume};
  return filters;
}

// A tone whose frames do not hold whole cycles, so a frame boundary falls mid-wave.
constexpr double off_grid_hz = 457;

// The RMS of the second difference over one frame: a high-pass that passes a tone below 1 kHz at
// under 2% and a click's broadband energy at up to 400%. A gain that jumps mid-wave (even smoothed
// by the codec's 2.5 ms overlap) shows as a frame above the steady tone's level.
double click_energy(const std::vector<float>& left, std::size_t frame) {
  double sum = 0;
  for (std::size_t n = std::max<std::size_t>(1, frame * frame_samples); n < (frame + 1) * frame_samples; ++n) {
    const double d = left[n + 1] - 2.0 * left[n] + left[n - 1];
    sum += d * d;
  }
  return std::sqrt(sum / frame_samples);
}

TEST(PlayerEngine, FiltersSetMidTrackLeavePassthroughAndChangeWithoutAClickAndClearingThemReturns) {
  harness h;
  auto t = make_track("a", 150, off_grid_hz);
  ASSERT_TRUE(h.engine.play(std::move(t.track)));
  h.run(30);
  ASSERT_TRUE(h.engine.snapshot().passthrough);
  h.engine.set_filters(volume_filter_of(0.5f));
  h.run(1);
  EXPECT_FALSE(h.engine.snapshot().passthrough) << "a filter needs the audio as PCM";
  h.run(19);
  h.engine.set_filters(volume_filter_of(0.25f));
  h.run(20);
  EXPECT_FALSE(h.engine.snapshot().passthrough);
  h.engine.set_filters({});
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough) << "no filter left: back to the source's packets";
  h.run_until_idle(200);

  ASSERT_EQ(h.sink->packets.size(), 150u);
  EXPECT_TRUE(std::equal(h.sink->packets.begin() + 80, h.sink->packets.end(), t.packets.begin() + 80))
      << "from the hand-back on, the source's own packets";
  const auto left = decode_left(h.sink->packets);
  const auto amplitude = [&](std::size_t f) { return tone_amplitude(frame_of(left, f), off_grid_hz); };
  EXPECT_NEAR(amplitude(25), 0.5, 0.03);
  EXPECT_NEAR(amplitude(40), 0.25, 0.02) << "the volume filter scales the tone";
  EXPECT_NEAR(amplitude(60), 0.125, 0.015);
  for (std::size_t f = 72; f < 90; ++f) EXPECT_NEAR(rms(frame_of(left, f)), 0.354, 0.013) << "frame " << f;
  // Around each change, nothing above the steady tone at the louder of the two levels.
  const double full = click_energy(left, 25), half = click_energy(left, 40);
  for (std::size_t f = 26; f < 36; ++f) EXPECT_LT(click_energy(left, f), 1.2 * full) << "frame " << f;
  for (std::size_t f = 46; f < 56; ++f) EXPECT_LT(click_energy(left, f), 1.2 * half) << "frame " << f;
  for (std::size_t f = 66; f < 80; ++f) EXPECT_LT(click_energy(left, f), 1.2 * full) << "frame " << f;
}

TEST(PlayerEngine, InvalidFiltersThrowAndTheTrackPlaysOn) {
  harness h;
  auto t = make_track("a", 100);
  ASSERT_TRUE(h.engine.play(std::move(t.track)));
  h.run(10);
  EXPECT_THROW(h.engine.set_filters(volume_filter_of(6.0f)), std::invalid_argument);
  EXPECT_THROW(h.engine.set_filters(volume_filter_of(std::nanf(""))), std::invalid_argument);
  h.run(10);
  EXPECT_TRUE(h.engine.snapshot().passthrough) << "the rejected filters were not applied";
  EXPECT_EQ(h.engine.snapshot().track, "a");
  EXPECT_TRUE(h.all<track_ended>().empty());
  EXPECT_TRUE(h.all<track_exception>().empty());
  // A valid filter in force stays in force when the next one is rejected.
  h.engine.set_filters(volume_filter_of(0.5f));
  h.run(10);
  EXPECT_THROW(h.engine.set_filters(volume_filter_of(0.0f)), std::invalid_argument);
  h.run_until_idle(200);
  ASSERT_EQ(h.sink->packets.size(), 100u);
  EXPECT_TRUE(std::equal(h.sink->packets.begin(), h.sink->packets.begin() + 20, t.packets.begin()));
  const auto left = decode_left(h.sink->packets);
  EXPECT_NEAR(tone_amplitude(frame_of(left, 40), music_hz), 0.25, 0.02);
  ASSERT_EQ(h.all<track_ended>().size(), 1u);
  EXPECT_EQ(h.all<track_ended>()[0].second.reason, track_end_reason::finished);
  // The next track gets the filter in force, not a rejected one.
  ASSERT_TRUE(h.engine.play(make_track("b", 50).track));
  h.run(10);
  EXPECT_EQ(h.engine.snapshot().track, "b");
  EXPECT_FALSE(h.engine.snapshot().passthrough);
}

// Every event as text, in order.
std::vector<std::string> event_log(const harness& h) {
  std::vector<std::string> log;
  for (const auto& [at, e] : h.events) {
    if (const auto* s = std::get_if<track_started>(&e)) log.push_back("start " + s->track);
    if (const auto* x = std::get_if<track_ended>(&e)) log.push_back("end " + x->track + " " + std::string(to_string(x->reason)));
    if (const auto* x = std::get_if<track_exception>(&e)) log.push_back("exception " + x->track);
    if (const auto* x = std::get_if<track_stuck>(&e)) log.push_back("stuck " + x->track);
  }
  return log;
}

TEST(PlayerEngine, CleanUpEndsTheTrackAndNothingMoreIsSent) {
  for (const int volume : {100, 50}) {  // passthrough, and PCM with a frame in the encoder
    SCOPED_TRACE(volume);
    harness h;
    ASSERT_TRUE(h.engine.play(make_track("a", 100).track));
    h.run(10);
    ASSERT_TRUE(h.engine.play(make_track("b", 100).track));
    h.engine.play_effect(make_track("ding", 50, effect_hz).track.reader);
    h.engine.set_volume(volume);
    h.run(10);
    const auto sent = h.sink->packets.size();
    const auto flushes = h.sink->flushes;
    h.engine.clean_up();
    EXPECT_TRUE(h.engine.snapshot().track.empty());
    EXPECT_FALSE(h.engine.active()) << "nothing left to play: the shard parks the player";
    EXPECT_GT(h.sink->flushes, flushes) << "a parked player is not ticked again: clean_up ends the sink's stream itself";
    h.run(20);
    EXPECT_EQ(h.sink->packets.size(), sent) << "nothing is sent after clean_up";
    EXPECT_EQ(event_log(h), (std::vector<std::string>{"start a", "end a " + std::string(to_string(track_end_reason::replaced)),
                                                      "start b", "end b " + std::string(to_string(track_end_reason::cleanup))}));
  }
}


// Plays `bytes` through to the end; checks the end and that nothing sent is louder than the tone.
void expect_fails_gracefully(std::vector<std::uint8_t> bytes) {
  harness h;
  auto media = open_media(std::make_unique<memory_source>(std::move(bytes), "broken.opus"));
  ASSERT_TRUE(h.engine.play({"broken", std::make_unique<track_reader>(std::move(media), track_settings{}), {}}));
  h.run_until_idle(400);
  for (const auto& [at, e] : h.all<track_exception>()) EXPECT_EQ(e.severity, exception_severity::fault) << e.message;
  const auto ended = h.all<track_ended>();
  ASSERT_EQ(ended.size(), 1u);
  EXPECT_TRUE(ended[0].second.reason == track_end_reason::load_failed || ended[0].second.reason == track_end_reason::finished)
      << to_string(ended[0].second.reason);
  const auto left = decode_left(h.sink->packets);
  for (std::size_t f = 0; f < left.size() / frame_samples; ++f) EXPECT_LT(rms(frame_of(left, f)), 0.4) << "frame " << f;
  EXPECT_LT(max_step(left, 0, left.size() / frame_samples), 4 * tone_step);
}

TEST(PlayerEngine, AStreamCorruptedMidwayEndsTheTrackWithoutNoise) {
  auto bytes = test::ogg_sine(200, music_hz);
  // Garbage over the second half of the stream.
  for (std::size_t i = bytes.size() / 2; i < bytes.size(); ++i) bytes[i] = static_cast<std::uint8_t>(i * 131 + 7);
  expect_fails_gracefully(std::move(bytes));
}

TEST(PlayerEngine, AStreamTruncatedMidwayEndsTheTrack) {
  auto bytes = test::ogg_sine(200, music_hz);
  bytes.resize(bytes.size() / 2 + 17);
  expect_fails_gracefully(std::move(bytes));
}

TEST(PlayerEngine, FrameStatisticsCountAWholeMinute) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("a", 3100).track));
  h.run(3000);
  EXPECT_FALSE(h.engine.snapshot().frames.usable) << "no minute is complete yet";
  h.run(10);
  const auto stats = h.engine.snapshot().frames;
  ASSERT_TRUE(stats.usable);
  EXPECT_EQ(stats.counts.sent, 3000);
  EXPECT_EQ(stats.counts.nulled, 0);
  EXPECT_EQ(stats.counts.deficit, 0);
}

TEST(PlayerEngine, APlayerStartedMidMinuteIsNotCountedForIt) {
  harness h({}, 1000);
  ASSERT_TRUE(h.engine.play(make_track("a", 2100).track));
  h.run(2010);  // through frame 3009
  EXPECT_FALSE(h.engine.snapshot().frames.usable);
}

TEST(PlayerEngine, MusicDucksUnderAnEffect) {
  harness h;
  ASSERT_TRUE(h.engine.play(make_track("music", 150).track));
  h.run(20);
  h.engine.play_effect(make_track("ding", 10, effect_hz).track.reader);
  h.run(1);
  EXPECT_FALSE(h.engine.snapshot().passthrough);
  h.run_until_idle(200);
  ASSERT_EQ(h.sink->packets.size(), 150u);

  const auto left = decode_left(h.sink->packets);
  const auto music = [&](std::size_t f) { return tone_amplitude(frame_of(left, f), music_hz); };
  const auto effect = [&](std::size_t f) { return tone_amplitude(frame_of(left, f), effect_hz); };
  EXPECT_NEAR(music(15), 0.5, 0.05);
  EXPECT_LT(effect(15), 0.02);
  // While the effect sounds: the music at the duck gain (0.3), the effect at its own level.
  EXPECT_NEAR(music(25), 0.15, 0.04);
  EXPECT_NEAR(effect(25), 0.5, 0.08);
  // Well after it (300 ms release): the music is back.
  EXPECT_LT(effect(70), 0.02);
  EXPECT_NEAR(music(70), 0.5, 0.05);
  EXPECT_LT(max_step(left, 18, 60), 4 * std::max(tone_step, 0.5 * 2 * std::numbers::pi * effect_hz / 48000));
}

TEST(PlayerEngine, CrossfadeReportsTheEndEarlyAndOverlapsTheNextTrack) {
  player_settings settings;
  settings.crossfade_ms = 1000;
  harness h(settings);
  ASSERT_TRUE(h.engine.play(make_track("a", 150).track));  // 3 s
  std::optional<std::uint64_t> finished_at;
  for (int i = 0; i < 150 && !finished_at; ++i) {
    h.run(1);
    if (const auto ended = h.all<track_ended>(); !ended.empty()) finished_at = ended[0].first;
  }
  ASSERT_TRUE(finished_at);
  // 1 s before the end of 3 s, less the codec delay: frame 100, give or take one.
  EXPECT_NEAR(static_cast<double>(*finished_at), 100, 2);
  EXPECT_EQ(h.all<track_ended>()[0].second.reason, track_end_reason::finished);
  const auto b_starts = h.sink->packets.size();
  ASSERT_TRUE(h.engine.play(make_track("b", 150, effect_hz).track));
  h.run_until_idle(300);

  const auto ended = h.all<track_ended>();
  ASSERT_EQ(ended.size(), 2u) << "a is not reported again when b replaces it";
  EXPECT_EQ(ended[1].second.track, "b");
  const auto left = decode_left(h.sink->packets);
  // Halfway through the fade both tracks sound; at its end only b.
  const auto mid = frame_of(left, b_starts + 25);
  EXPECT_GT(tone_amplitude(mid, music_hz), 0.15);
  EXPECT_GT(tone_amplitude(mid, effect_hz), 0.15);
  const auto after = frame_of(left, b_starts + 60);
  EXPECT_LT(tone_amplitude(after, music_hz), 0.02);
  EXPECT_NEAR(tone_amplitude(after, effect_hz), 0.5, 0.05);
}

}  // namespace
}  // namespace spence::engine
