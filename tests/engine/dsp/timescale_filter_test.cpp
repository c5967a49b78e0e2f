#include "engine/dsp/timescale_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace spence::engine {
namespace {

using test::dsp_rate;

constexpr double tone_hz = 1000;
constexpr double amplitude = 0.5;
constexpr std::size_t input_frames = 2 * 48000;
// Without flush() SoundTouch holds back the input it has not spliced yet: measured 20-140 ms of
// output for the settings here; the tests allow up to 150 ms.
constexpr std::size_t latency_tolerance = 7200;

// Puts `signal` in blocks cycling through `put_frames`, takes after every put in slices of
// `take_frames`, and (when asked) flushes and takes the rest.
std::vector<float> stretch_sliced(timescale_filter& filter, std::span<const float> signal,
                           std::span<const std::size_t> put_frames, std::size_t take_frames, bool flush = true) {
  std::vector<float> out;
  std::vector<float> slice(take_frames * 2);
  const auto drain = [&] {
    while (const std::size_t got = filter.take(slice)) out.insert(out.end(), slice.begin(), slice.begin() + got * 2);
  };
  std::size_t at = 0;
  for (std::size_t i = 0; at < signal.size(); ++i) {
    const std::size_t size = std::min(put_frames[i % put_frames.size()] * 2, signal.size() - at);
    filter.put(signal.subspan(at, size));
    at += size;
    drain();
  }
  if (flush) {
    filter.flush();
    drain();
  }
  return out;
}

constexpr std::size_t one_block[] = {input_frames};
constexpr std::size_t discord_blocks[] = {960};

std::vector<float> stretch(const timescale_settings& settings, std::span<const float> signal, bool flush = true) {
  timescale_filter filter(settings);
  return stretch_sliced(filter, signal, discord_blocks, 960, flush);
}

// The frequency of one channel between two frames, from the spacing of its rising zero crossings
// (each placed between samples by linear interpolation).
double measured_hz(std::span<const float> stereo, std::size_t channel, std::size_t from, std::size_t to) {
  double first = -1;
  double last = -1;
  std::size_t crossings = 0;
  for (std::size_t n = from + 1; n < to; ++n) {
    const double a = stereo[2 * (n - 1) + channel];
    const double b = stereo[2 * n + channel];
    if (a < 0 && b >= 0) {
      const double at = static_cast<double>(n - 1) + a / (a - b);
      if (first < 0) first = at;
      last = at;
      ++crossings;
    }
  }
  return crossings < 2 ? 0 : static_cast<double>(crossings - 1) * dsp_rate / (last - first);
}

std::size_t frames(std::span<const float> stereo) { return stereo.size() / 2; }

// Checks the stretched tone's length (after flush: SoundTouch trims to the expected count; without:
// short by at most the latency), and its frequency and loudness over the middle of the output.
void expect_stretched_tone(const timescale_settings& settings, double expected_hz) {
  const auto in = test::stereo_sine(tone_hz, amplitude, input_frames);
  const double expected_frames = static_cast<double>(input_frames) / (settings.speed * settings.rate);

  const auto flushed = stretch(settings, in);
  EXPECT_NEAR(static_cast<double>(frames(flushed)), std::round(expected_frames), 1.0);
  const auto streamed = stretch(settings, in, false);
  EXPECT_LE(static_cast<double>(frames(streamed)), expected_frames);
  EXPECT_GE(static_cast<double>(frames(streamed)), expected_frames - latency_tolerance);

  const std::size_t from = frames(flushed) / 4;
  const std::size_t to = frames(flushed) * 3 / 4;
  for (std::size_t channel = 0; channel < 2; ++channel) {
    EXPECT_NEAR(measured_hz(flushed, channel, from, to), expected_hz, expected_hz * 0.002) << "channel " << channel;
    const auto middle = std::span(flushed).subspan(from * 2, (to - from) * 2);
    EXPECT_NEAR(test::tone_amplitude(middle, channel, expected_hz, 0), amplitude, 0.05);
  }
}

TEST(TimescaleFilter, DefaultsAreLavalinks) {
  const timescale_settings defaults;
  EXPECT_EQ(defaults.speed, 1.0);
  EXPECT_EQ(defaults.pitch, 1.0);
  EXPECT_EQ(defaults.rate, 1.0);
  EXPECT_FALSE(defaults.enabled());
  EXPECT_TRUE((timescale_settings{.speed = 1.01}.enabled()));
  EXPECT_TRUE((timescale_settings{.pitch = 0.99}.enabled()));
  EXPECT_TRUE((timescale_settings{.rate = 2}.enabled()));
}

TEST(TimescaleFilter, SpeedShortensTheToneAndKeepsItsFrequency) {
  expect_stretched_tone({.speed = 1.5}, tone_hz);
}

TEST(TimescaleFilter, SlowerSpeedLengthensTheToneAndKeepsItsFrequency) {
  expect_stretched_tone({.speed = 0.75}, tone_hz);
}

TEST(TimescaleFilter, PitchMovesTheFrequencyAndKeepsTheLength) {
  expect_stretched_tone({.pitch = 1.5}, 1.5 * tone_hz);
  const auto out = stretch({.pitch = 1.5}, test::stereo_sine(tone_hz, amplitude, input_frames));
  EXPECT_LT(test::tone_amplitude(out, 0, tone_hz, 0), 0.01) << "the original tone is gone";
}

TEST(TimescaleFilter, RateChangesLengthAndFrequencyTogether) {
  expect_stretched_tone({.rate = 1.25}, 1.25 * tone_hz);
}

TEST(TimescaleFilter, FactorsCombine) {
  // Length 1 / (speed * rate), frequency pitch * rate.
  expect_stretched_tone({.speed = 0.8, .pitch = 1.2, .rate = 0.9}, 1.2 * 0.9 * tone_hz);
}

TEST(TimescaleFilter, DefaultsAreNearIdentity) {
  const auto in = test::stereo_noise(0.5, input_frames);
  const auto out = stretch(timescale_settings{}, in);
  ASSERT_EQ(out.size(), in.size());
  double worst = 0;
  for (std::size_t i = 0; i < in.size(); ++i) worst = std::max(worst, static_cast<double>(std::abs(out[i] - in[i])));
  // Tempo 1 still splices, but splices identical material at the same place: only rounding differs.
  EXPECT_LT(worst, 1e-3);
}

// SoundTouch does not promise this, but it splices where the input it has accumulated says to,
// never where a block happened to end, so the output is the same to the bit however input and
// output are sliced (0- and 1-frame blocks included).
TEST(TimescaleFilter, OutputIsIdenticalWhateverTheBlockSizes) {
  const auto in = test::stereo_noise(0.5, input_frames);
  for (const timescale_settings settings :
       {timescale_settings{.speed = 1.5}, timescale_settings{.speed = 0.7, .pitch = 1.3, .rate = 0.9},
        timescale_settings{.rate = 1.25}}) {
    timescale_filter whole(settings);
    const auto reference = stretch_sliced(whole, in, one_block, input_frames * 2);
    for (const std::size_t take_frames : {std::size_t{1}, std::size_t{7}, std::size_t{960}}) {
      timescale_filter split(settings);
      const auto out = stretch_sliced(split, in, test::uneven_blocks, take_frames);
      EXPECT_TRUE(out == reference) << "speed " << settings.speed << " pitch " << settings.pitch << " rate "
                                    << settings.rate << ", taking " << take_frames << " frames at a time";
    }
  }
}

TEST(TimescaleFilter, ResetDropsEverythingAndStartsAFreshStream) {
  const timescale_settings settings{.speed = 1.3, .pitch = 0.9};
  const auto in = test::stereo_sine(tone_hz, amplitude, input_frames);
  timescale_filter used(settings);
  const auto noise = test::stereo_noise(0.9, 30000);
  used.put(noise);
  std::vector<float> some(2000);
  ASSERT_GT(used.take(some), 0u);
  used.reset();
  EXPECT_EQ(used.take(some), 0u) << "nothing left to take";
  timescale_filter fresh(settings);
  EXPECT_TRUE(stretch_sliced(used, in, discord_blocks, 960) == stretch_sliced(fresh, in, discord_blocks, 960));
}

TEST(TimescaleFilter, EmptyBlocksAndHalfFramesDoNothing) {
  timescale_filter filter({.speed = 2});
  filter.put({});
  const float half_frame[] = {0.5f};
  filter.put(half_frame);
  filter.flush();
  std::vector<float> out(100);
  EXPECT_EQ(filter.take(out), 0u);
  EXPECT_EQ(filter.take(std::span(out).first(1)), 0u);
}

TEST(TimescaleFilter, NonFiniteInputCountsAsSilence) {
  const timescale_settings settings{.speed = 1.2, .pitch = 1.1};
  auto broken = test::stereo_sine(tone_hz, amplitude, input_frames);
  auto silenced = broken;
  constexpr float bad[] = {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity(),
                           -std::numeric_limits<float>::infinity()};
  for (std::size_t i = 40000; i < 40600; ++i) {
    broken[i] = bad[i % 3];
    silenced[i] = 0.0f;
  }
  const auto out = stretch(settings, broken);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float s) { return std::isfinite(s); }));
  EXPECT_TRUE(out == stretch(settings, silenced)) << "a NaN or infinity is exactly a silent sample";
}

TEST(TimescaleFilter, OverflowingInputNeverComesOutNonFiniteAndTheToneRecovers) {
  const timescale_settings settings{.speed = 0.7, .pitch = 1.2, .rate = 0.8};
  auto in = test::stereo_sine(tone_hz, amplitude, input_frames);
  const float huge = std::numeric_limits<float>::max();
  for (std::size_t i = 20000; i < 30000; ++i) in[i] = i % 3 == 0 ? -huge : huge;
  const auto out = stretch(settings, in);
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float s) { return std::isfinite(s); }));
  const auto tail = std::span(out).last(out.size() / 4);
  EXPECT_NEAR(test::tone_amplitude(tail, 0, 1.2 * 0.8 * tone_hz, 0), amplitude, 0.05);
}

TEST(TimescaleFilter, InvalidSettingsAreRejectedNamingTheField) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  for (const double bad : {0.0, -1.0, 0.09, 10.5, nan, inf, -inf}) {
    for (const auto& [settings, field] : {std::pair{timescale_settings{.speed = bad}, "speed"},
                                          std::pair{timescale_settings{.pitch = bad}, "pitch"},
                                          std::pair{timescale_settings{.rate = bad}, "rate"}}) {
      try {
        validate(settings);
        ADD_FAILURE() << field << " = " << bad << " accepted";
      } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind(field, 0), 0u) << e.what();
        EXPECT_NE(std::string(e.what()).find("[0.1, 10]"), std::string::npos) << e.what();
      }
      EXPECT_THROW(timescale_filter{settings}, std::invalid_argument);
    }
  }
  EXPECT_NO_THROW(validate({.speed = 0.1, .pitch = 10, .rate = 0.1}));
  EXPECT_NO_THROW(validate({.speed = 10, .pitch = 0.1, .rate = 10}));
}

}  // namespace
}  // namespace spence::engine
