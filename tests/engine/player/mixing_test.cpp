// The click-free mixing stages of the guild player: gain ramps, the crossfade between tracks and
// the ducked effect layer, measured on real signals.

#include "engine/player/crossfade.hpp"
#include "engine/player/ducking_mixer.hpp"
#include "engine/player/gain_ramp.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"
#include "tests/engine/dsp/tone_envelope.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace spence::engine {
namespace {

constexpr float nan = std::numeric_limits<float>::quiet_NaN();
constexpr float inf = std::numeric_limits<float>::infinity();

// Calls step(first_frame, frame_count) for consecutive blocks covering [from, to), cycling through
// the block sizes (empty blocks included).
template <typename Step>
void in_blocks(std::size_t from, std::size_t to, std::span<const std::size_t> sizes, Step step) {
  for (std::size_t i = 0, at = from; at < to; ++i) {
    const std::size_t frames = std::min(sizes[i % sizes.size()], to - at);
    step(at, frames);
    at += frames;
  }
}

std::span<float> frames_of(std::vector<float>& stereo, std::size_t first, std::size_t count) {
  return std::span(stereo).subspan(first * 2, count * 2);
}

// The largest sample-to-sample change in one channel.
double largest_step(std::span<const float> stereo, std::size_t channel) {
  double largest = 0;
  for (std::size_t i = channel + 2; i < stereo.size(); i += 2)
    largest = std::max(largest, std::abs(static_cast<double>(stereo[i]) - stereo[i - 2]));
  return largest;
}

double rms(std::span<const float> samples) {
  double sum = 0;
  for (const float s : samples) sum += static_cast<double>(s) * s;
  return std::sqrt(sum / static_cast<double>(samples.size()));
}

bool all_finite(std::span<const float> samples) {
  return std::ranges::all_of(samples, [](float s) { return std::isfinite(s); });
}

// --- gain_ramp ---------------------------------------------------------------------------------

TEST(GainRamp, ReachesTheTargetExactlyOnTheLastFrameOfTheRamp) {
  gain_ramp ramp;
  ramp.set_target(0.25f, declick_ramp_frames);
  EXPECT_FALSE(ramp.settled());
  EXPECT_EQ(ramp.current(), 1.0f) << "no frame applied yet";
  std::vector<float> dc(2 * 500, 1.0f);
  ramp.apply(frames_of(dc, 0, 100));
  EXPECT_FALSE(ramp.settled());
  ramp.apply(frames_of(dc, 100, 400));
  EXPECT_TRUE(ramp.settled());
  EXPECT_EQ(ramp.current(), 0.25f);
  EXPECT_EQ(ramp.target(), 0.25f);
  for (std::size_t n = 0; n < 500; ++n) {
    const double expected = n + 1 >= declick_ramp_frames ? 0.25 : 1.0 - 0.75 * (n + 1) / declick_ramp_frames;
    ASSERT_NEAR(dc[2 * n], expected, 1e-6) << "frame " << n;
    ASSERT_EQ(dc[2 * n], dc[2 * n + 1]) << "both channels of frame " << n << " get the same gain";
  }
  EXPECT_GT(dc[2 * (declick_ramp_frames - 2)], 0.25f) << "not there one frame early";
  EXPECT_EQ(dc[2 * (declick_ramp_frames - 1)], 0.25f);
}

TEST(GainRamp, FullScaleSineRampedToSilenceDoesNotClick) {
  // A 1 kHz sine at full scale; the ramp starts on its peak (frame 12), where a jump is largest.
  const auto sine = test::stereo_sine(1000, 1.0, 960);
  const double sine_step = largest_step(sine, 0);
  const auto ramped_out = [&](std::size_t ramp_frames) {
    std::vector<float> out = sine;
    gain_ramp ramp;
    ramp.apply(frames_of(out, 0, 12));
    ramp.set_target(0.0f, ramp_frames);
    ramp.apply(frames_of(out, 12, 948));
    return out;
  };
  const auto ramped = ramped_out(declick_ramp_frames);
  // |g[n] x[n] - g[n-1] x[n-1]| <= |x[n] - x[n-1]| + |g[n] - g[n-1]| for |x|, g <= 1.
  const double bound = sine_step + 1.0 / declick_ramp_frames + 1e-6;
  EXPECT_LE(largest_step(ramped, 0), bound);
  EXPECT_LE(largest_step(ramped, 1), bound);
  EXPECT_TRUE(std::all_of(ramped.begin() + 2 * (12 + declick_ramp_frames - 1), ramped.end(),
                          [](float s) { return s == 0.0f; }))
      << "silent from the ramp's last frame on";
  EXPECT_GT(largest_step(ramped_out(0), 0), 0.9) << "a jump at the peak is the click the ramp avoids";
}

TEST(GainRamp, RetargetMidRampContinuesFromTheCurrentGain) {
  gain_ramp ramp;
  ramp.set_target(0.0f, 240);
  std::vector<float> dc(2 * 600, 1.0f);
  ramp.apply(frames_of(dc, 0, 100));
  EXPECT_NEAR(ramp.current(), 1.0 - 100.0 / 240, 1e-6);
  ramp.set_target(0.8f, 240);
  EXPECT_NEAR(ramp.current(), 1.0 - 100.0 / 240, 1e-6) << "retargeting itself does not move the gain";
  ramp.apply(frames_of(dc, 100, 500));
  // On DC the output is the gain: no step larger than the steeper of the two ramps.
  EXPECT_LE(largest_step(dc, 0), 1.0 / 240 + 1e-6);
  EXPECT_GT(dc[2 * 101], dc[2 * 99]) << "turned round";
  EXPECT_EQ(dc[2 * (100 + 239)], 0.8f);
  EXPECT_LT(dc[2 * (100 + 238)], 0.8f);
  EXPECT_TRUE(ramp.settled());
}

TEST(GainRamp, ZeroRampFramesJumps) {
  gain_ramp ramp(0.5f);
  ramp.set_target(2.0f, 0);
  EXPECT_TRUE(ramp.settled());
  EXPECT_EQ(ramp.current(), 2.0f);
  std::vector<float> block{0.25f, -0.25f};
  ramp.apply(block);
  EXPECT_EQ(block, (std::vector<float>{0.5f, -0.5f}));
}

TEST(GainRamp, BlockSplitInvariantAcrossARetarget) {
  const auto in = test::stereo_noise(0.8, 6000);
  const auto run = [&](std::span<const std::size_t> sizes) {
    std::vector<float> out = in;
    gain_ramp ramp(0.9f);
    ramp.set_target(0.1f, 3001);
    in_blocks(0, 2000, sizes, [&](std::size_t at, std::size_t n) { ramp.apply(frames_of(out, at, n)); });
    ramp.set_target(0.7f, 1777);
    in_blocks(2000, 6000, sizes, [&](std::size_t at, std::size_t n) { ramp.apply(frames_of(out, at, n)); });
    return out;
  };
  const std::size_t whole[] = {6000};
  EXPECT_EQ(run(test::uneven_blocks), run(whole));
}

TEST(GainRamp, NonFiniteSamplesBecomeSilenceWithoutDisturbingTheRamp) {
  std::vector<float> bad(2 * 300, 0.5f);
  bad[20] = nan;
  bad[41] = inf;
  bad[300] = -inf;
  std::vector<float> clean = bad;
  for (float& s : clean) s = std::isfinite(s) ? s : 0.0f;
  gain_ramp bad_ramp, clean_ramp;
  bad_ramp.set_target(0.0f, 240);
  clean_ramp.set_target(0.0f, 240);
  bad_ramp.apply(bad);
  clean_ramp.apply(clean);
  EXPECT_EQ(bad, clean);
}

TEST(GainRamp, RejectsNegativeOrNonFiniteGain) {
  EXPECT_THROW(gain_ramp(-0.1f), std::invalid_argument);
  gain_ramp ramp;
  for (const float bad : {-1.0f, nan, inf}) {
    try {
      ramp.set_target(bad, 10);
      ADD_FAILURE() << "gain " << bad << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind("gain", 0), 0u) << e.what();
    }
  }
  EXPECT_EQ(ramp.target(), 1.0f) << "a rejected target leaves the ramp alone";
}

// --- crossfade ---------------------------------------------------------------------------------

TEST(Crossfade, StartsWithTheOutgoingTrackAloneAndEndsWithTheIncomingAlone) {
  const std::size_t length = 960;
  const auto outgoing = test::stereo_noise(0.7, 2000, 1);
  const auto incoming = test::stereo_noise(0.7, 2000, 2);
  crossfade fade(length);
  std::vector<float> out(incoming.size());
  fade.mix(outgoing, incoming, out);
  EXPECT_TRUE(fade.done());
  EXPECT_EQ(fade.progress_frames(), length);
  EXPECT_EQ(out[0], outgoing[0]);
  EXPECT_EQ(out[1], outgoing[1]);
  EXPECT_TRUE(std::equal(out.begin() + 2 * length, out.end(), incoming.begin() + 2 * length));
  EXPECT_NE(out[2 * (length - 1)], incoming[2 * (length - 1)]) << "the last fade frame still mixes";
  // Halfway both curves are cos(pi/4).
  const std::size_t half = 2 * (length / 2);
  EXPECT_NEAR(out[half], (outgoing[half] + incoming[half]) * std::numbers::sqrt2 / 2, 1e-6);
}

TEST(Crossfade, KeepsTheLoudnessOfUncorrelatedTracks) {
  const std::size_t length = 9600, window = 960;
  const auto outgoing = test::stereo_noise(0.5, length, 11);
  const auto incoming = test::stereo_noise(0.5, length, 12);
  const double level = rms(outgoing);
  std::vector<float> out(incoming.size());
  crossfade(length).mix(outgoing, incoming, out);
  for (std::size_t at = 0; at < length; at += window) {
    const double ratio = rms(frames_of(out, at, window)) / level;
    EXPECT_LT(std::abs(test::decibels(ratio)), 1.0) << "window at frame " << at;
  }
  // Linear curves would dip 3 dB in the middle; equal power stays within a fraction of a dB there.
  EXPECT_LT(std::abs(test::decibels(rms(frames_of(out, length / 2 - window / 2, window)) / level)), 0.5);
}

TEST(Crossfade, OutgoingTrackEndingMidBlockIsSilenceFromThere) {
  const std::size_t length = 4800;
  const auto outgoing = test::stereo_noise(0.6, 1260, 3);  // ends 300 frames into the second block
  const auto incoming = test::stereo_noise(0.6, 2880, 4);
  std::vector<float> padded = outgoing;
  padded.resize(incoming.size(), 0.0f);

  crossfade short_fade(length), padded_fade(length);
  std::vector<float> short_out(incoming.size()), padded_out(incoming.size());
  for (std::size_t at = 0; at < 2880; at += 960) {
    const auto in_block = std::span<const float>(incoming).subspan(2 * at, 2 * 960);
    const std::size_t outgoing_left = outgoing.size() - std::min(outgoing.size(), 2 * at);
    const auto out_block = std::span<const float>(outgoing).subspan(std::min(outgoing.size(), 2 * at),
                                                                    std::min<std::size_t>(outgoing_left, 2 * 960));
    short_fade.mix(out_block, in_block, frames_of(short_out, at, 960));
    padded_fade.mix(std::span<const float>(padded).subspan(2 * at, 2 * 960), in_block,
                    frames_of(padded_out, at, 960));
  }
  EXPECT_EQ(short_out, padded_out);
  EXPECT_EQ(short_fade.progress_frames(), 2880u);
  // Past the outgoing track's end only the incoming one sounds, rising on the sine curve.
  const std::size_t n = 1500;
  const double in_gain = std::sin(std::numbers::pi / 2 * n / length);
  EXPECT_NEAR(short_out[2 * n], incoming[2 * n] * in_gain, 1e-6);
}

TEST(Crossfade, BlockSplitInvariant) {
  const std::size_t frames = 7000;
  const auto outgoing = test::stereo_noise(0.9, frames, 5);
  const auto incoming = test::stereo_noise(0.9, frames, 6);
  const auto run = [&](std::span<const std::size_t> sizes) {
    std::vector<float> out(incoming.size());
    crossfade fade(4321);
    in_blocks(0, frames, sizes, [&](std::size_t at, std::size_t n) {
      fade.mix(std::span(outgoing).subspan(2 * at, 2 * n), std::span(incoming).subspan(2 * at, 2 * n),
               frames_of(out, at, n));
    });
    return out;
  };
  const std::size_t whole[] = {frames};
  EXPECT_EQ(run(test::uneven_blocks), run(whole));
}

TEST(Crossfade, MixesInPlaceIntoTheIncomingBlock) {
  const auto outgoing = test::stereo_noise(0.5, 960, 7);
  std::vector<float> incoming = test::stereo_noise(0.5, 960, 8);
  std::vector<float> separate(incoming.size());
  crossfade(480).mix(outgoing, incoming, separate);
  crossfade(480).mix(outgoing, incoming, incoming);
  EXPECT_EQ(incoming, separate);
}

TEST(Crossfade, ZeroLengthIsACut) {
  const auto outgoing = test::stereo_noise(0.5, 100, 9);
  const auto incoming = test::stereo_noise(0.5, 100, 10);
  crossfade fade(0);
  EXPECT_TRUE(fade.done());
  std::vector<float> out(incoming.size());
  fade.mix(outgoing, incoming, out);
  EXPECT_EQ(out, incoming);
}

TEST(Crossfade, SumOfCorrelatedFullScaleTracksStaysInRange) {
  const auto same = test::stereo_sine(1000, 1.0, 960);
  std::vector<float> out(same.size());
  crossfade(960).mix(same, same, out);
  EXPECT_TRUE(std::ranges::all_of(out, [](float s) { return s >= -1.0f && s <= 1.0f; }));
  EXPECT_EQ(*std::ranges::max_element(out), 1.0f) << "+3 dB in the middle reached the clamp";
}

TEST(Crossfade, NonFiniteSamplesBecomeSilence) {
  auto outgoing = test::stereo_noise(0.5, 960, 13);
  auto incoming = test::stereo_noise(0.5, 960, 14);
  const auto clean_out = outgoing, clean_in = incoming;
  outgoing[10] = nan;
  incoming[10] = inf;
  incoming[501] = -inf;
  std::vector<float> out(incoming.size()), clean(incoming.size());
  crossfade(480).mix(outgoing, incoming, out);
  crossfade(480).mix(clean_out, clean_in, clean);
  EXPECT_TRUE(all_finite(out));
  EXPECT_EQ(out[10], 0.0f);
  for (std::size_t i = 0; i < out.size(); ++i)
    if (i != 10 && i != 501) ASSERT_EQ(out[i], clean[i]) << "sample " << i;
}

TEST(Crossfade, RejectsMismatchedBlocks) {
  std::vector<float> a(20), b(10), out(10);
  EXPECT_THROW(crossfade(10).mix(a, b, out), std::invalid_argument) << "outgoing longer than incoming";
  EXPECT_THROW(crossfade(10).mix(b, b, a), std::invalid_argument) << "out not incoming's length";
}

// --- ducking_mixer -----------------------------------------------------------------------------

constexpr double music_hz = 1000, effect_hz = 3000;
constexpr std::size_t envelope_window = 48;  // 1 ms: whole periods of both tones

TEST(DuckingMixer, DucksWithinTheAttackAndRecoversWithinTheRelease) {
  const ducking_settings settings{.duck_gain = 0.25f, .attack_ms = 20.0f, .release_ms = 100.0f};
  const std::size_t block = 960, attack = 960, release = 4800;
  const std::size_t effect_start = 10 * block, effect_frames = 10 * block + 333;  // ends mid-block
  const std::size_t effect_end = effect_start + effect_frames;
  const double music_level = 0.5, effect_level = 0.3;

  auto out = test::stereo_sine(music_hz, music_level, 48000);
  const auto effect = test::stereo_sine(effect_hz, effect_level, effect_frames);
  ducking_mixer mixer(settings);
  for (std::size_t at = 0; at < 48000; at += block) {
    const std::size_t from = std::clamp(at, effect_start, effect_end) - effect_start;
    const std::size_t to = std::clamp(at + block, effect_start, effect_end) - effect_start;
    mixer.mix(frames_of(out, at, block), std::span(effect).subspan(2 * from, 2 * (to - from)));
  }
  EXPECT_EQ(mixer.music_gain(), 1.0f);

  // The music's gain per millisecond, the effect tone being orthogonal to it over each window.
  std::vector<double> gain = test::tone_envelope(out, 0, music_hz, envelope_window);
  for (double& g : gain) g /= music_level;
  const auto ms = [](std::size_t frame) { return frame / envelope_window; };
  for (std::size_t k = 0; k < ms(effect_start); ++k) ASSERT_NEAR(gain[k], 1.0, 1e-3) << "before, ms " << k;
  // Halfway through the attack the linear envelope is halfway down: not a jump, not late.
  EXPECT_NEAR(gain[ms(effect_start + attack / 2)], 0.625, 0.02);
  for (std::size_t k = ms(effect_start + attack); k < ms(effect_end); ++k)
    ASSERT_NEAR(gain[k], 0.25, 1e-3) << "ducked within the attack, ms " << k;
  EXPECT_NEAR(gain[ms(effect_end + release / 2)], 0.625, 0.02);
  for (std::size_t k = ms(effect_end + release) + 1; k < gain.size(); ++k)
    ASSERT_NEAR(gain[k], 1.0, 1e-3) << "back within the release, ms " << k;

  // The effect itself is mixed in at its own level.
  const auto effect_part = std::span<const float>(out).subspan(2 * effect_start, 2 * effect_frames);
  EXPECT_NEAR(test::tone_amplitude(effect_part, 1, effect_hz, 0), effect_level, 2e-3);
}

// The music gain per frame: DC music, with a silent effect (sounding is presence, not loudness).
std::vector<float> music_gain_per_frame(const ducking_settings& settings, std::size_t effect_frames,
                                        std::size_t total_frames) {
  std::vector<float> out(2 * total_frames, 1.0f);
  const std::vector<float> effect(2 * effect_frames, 0.0f);
  ducking_mixer(settings).mix(out, effect);
  return out;
}

TEST(DuckingMixer, GainNeverStepsFasterThanTheRampsEvenAtZeroAttackAndRelease) {
  const auto gain = music_gain_per_frame({.duck_gain = 0.0f, .attack_ms = 0.0f, .release_ms = 0.0f}, 1000, 2000);
  EXPECT_LE(largest_step(gain, 0), 1.0 / declick_ramp_frames + 1e-6);
  EXPECT_EQ(gain[2 * (declick_ramp_frames - 1)], 0.0f) << "fully ducked after the de-click ramp";
  EXPECT_EQ(gain[2 * (1000 + declick_ramp_frames - 1)], 1.0f) << "fully back after the de-click ramp";
}

TEST(DuckingMixer, EffectEndingDuringTheAttackTurnsSmoothlyIntoTheRelease) {
  const ducking_settings settings{.duck_gain = 0.0f, .attack_ms = 10.0f, .release_ms = 10.0f};
  const auto gain = music_gain_per_frame(settings, 200, 1000);
  EXPECT_LE(largest_step(gain, 0), 1.0 / 480 + 1e-6);
  EXPECT_NEAR(gain[2 * 199], 1.0 - 200.0 / 480, 1e-6) << "lowest point";
  EXPECT_GT(gain[2 * 201], gain[2 * 199]);
  EXPECT_EQ(gain[2 * (200 + 479)], 1.0f);
}

TEST(DuckingMixer, BlockSplitInvariant) {
  const ducking_settings settings{.duck_gain = 0.2f, .attack_ms = 15.0f, .release_ms = 60.0f};
  const std::size_t frames = 12000, effect_start = 3000, effect_frames = 4000;
  const auto music = test::stereo_noise(0.7, frames, 21);
  const auto effect = test::stereo_noise(0.6, effect_frames, 22);
  // The effect starts on a block boundary (as a player starts it), both runs cut there.
  const auto run = [&](std::span<const std::size_t> sizes) {
    std::vector<float> out = music;
    ducking_mixer mixer(settings);
    in_blocks(0, effect_start, sizes, [&](std::size_t at, std::size_t n) { mixer.mix(frames_of(out, at, n), {}); });
    in_blocks(effect_start, frames, sizes, [&](std::size_t at, std::size_t n) {
      const std::size_t from = std::min(at - effect_start, effect_frames);
      const std::size_t to = std::min(at + n - effect_start, effect_frames);
      mixer.mix(frames_of(out, at, n), std::span(effect).subspan(2 * from, 2 * (to - from)));
    });
    return out;
  };
  const std::size_t whole[] = {frames};
  EXPECT_EQ(run(test::uneven_blocks), run(whole));
}

TEST(DuckingMixer, WithoutAnEffectInRangeMusicIsUntouched) {
  const auto music = test::stereo_noise(1.0, 4800, 23);
  auto out = music;
  ducking_mixer mixer({});
  mixer.mix(out, {});
  EXPECT_EQ(out, music);
}

TEST(DuckingMixer, SumIsClampedToFullScale) {
  std::vector<float> music(2 * 960, 0.9f);
  const std::vector<float> effect(2 * 960, 0.9f);
  ducking_mixer({.duck_gain = 1.0f}).mix(music, effect);
  EXPECT_TRUE(std::ranges::all_of(music, [](float s) { return s == 1.0f; }));
}

TEST(DuckingMixer, NonFiniteInputIsSilenceAndLeavesNoTrace) {
  const ducking_settings settings{.duck_gain = 0.3f, .attack_ms = 5.0f, .release_ms = 20.0f};
  auto music = test::stereo_noise(0.5, 4800, 24);
  auto effect = test::stereo_noise(0.5, 1500, 25);
  music[100] = nan;
  music[2001] = inf;
  effect[50] = -inf;
  effect[51] = nan;
  auto clean_music = music, clean_effect = effect;
  for (auto* signal : {&clean_music, &clean_effect})
    for (float& s : *signal) s = std::isfinite(s) ? s : 0.0f;
  ducking_mixer mixer(settings), clean_mixer(settings);
  for (std::size_t at = 0; at < 4800; at += 960) {
    const std::size_t from = std::min<std::size_t>(at, 1500), to = std::min<std::size_t>(at + 960, 1500);
    mixer.mix(frames_of(music, at, 960), std::span(effect).subspan(2 * from, 2 * (to - from)));
    clean_mixer.mix(frames_of(clean_music, at, 960), std::span(clean_effect).subspan(2 * from, 2 * (to - from)));
  }
  EXPECT_TRUE(all_finite(music));
  EXPECT_EQ(music, clean_music);
  EXPECT_EQ(mixer.music_gain(), 1.0f);
}

TEST(DuckingMixer, RejectsAnEffectLongerThanTheMusicBlock) {
  std::vector<float> music(20);
  const std::vector<float> effect(22);
  EXPECT_THROW(ducking_mixer({}).mix(music, effect), std::invalid_argument);
}

TEST(DuckingMixer, RejectsOutOfRangeSettings) {
  const auto rejects = [](const ducking_settings& settings, const std::string& field) {
    try {
      validate(settings);
      ADD_FAILURE() << field << " accepted";
    } catch (const std::invalid_argument& e) {
      EXPECT_EQ(std::string(e.what()).rfind(field, 0), 0u) << e.what();
    }
    EXPECT_THROW(ducking_mixer{settings}, std::invalid_argument) << field;
  };
  for (const float bad : {-0.01f, 1.01f, nan, inf}) rejects({.duck_gain = bad}, "duck_gain");
  for (const float bad : {-1.0f, 10000.5f, nan, inf, -inf}) {
    rejects({.attack_ms = bad}, "attack_ms");
    rejects({.release_ms = bad}, "release_ms");
  }
  EXPECT_NO_THROW(validate({.duck_gain = 0.0f, .attack_ms = 0.0f, .release_ms = 10000.0f}));
  EXPECT_NO_THROW(validate({.duck_gain = 1.0f, .attack_ms = 10000.0f, .release_ms = 0.0f}));
}

}  // namespace
}  // namespace spence::engine
