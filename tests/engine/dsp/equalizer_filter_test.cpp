#include "engine/dsp/equalizer_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace spence::engine {
namespace {

using test::decibels;
using test::stereo_noise;
using test::stereo_sine;
using test::tone_amplitude;

constexpr std::size_t second = 48000;
constexpr double amplitude = 0.1;  // 5x the top boost still stays below the clip

std::vector<float> equalized(const equalizer_settings& settings, std::vector<float> signal) {
  equalizer_filter filter(settings);
  filter.process(signal);
  return signal;
}

equalizer_settings one_band(std::size_t band, float gain) {
  equalizer_settings settings;
  settings.gains[band] = gain;
  return settings;
}

// Linear gain of a tone at hz in each channel, measured over the second second (the first lets
// even the 25 Hz band settle).
std::array<double, 2> measured_gain(const equalizer_settings& settings, double hz) {
  const std::vector<float> out = equalized(settings, stereo_sine(hz, amplitude, 2 * second, 1.0, -0.5));
  return {tone_amplitude(out, 0, hz, second) / amplitude,
          tone_amplitude(out, 1, hz, second) / (0.5 * amplitude)};
}

TEST(EqualizerFilter, AllZeroGainsAreDisabledAndTheIdentity) {
  const equalizer_settings flat;
  EXPECT_FALSE(flat.enabled());
  const std::vector<float> in = stereo_noise(1.0, 4800);
  EXPECT_EQ(equalized(flat, in), in);
  EXPECT_TRUE(one_band(14, -0.1f).enabled());
}

TEST(EqualizerFilter, EachBandAtItsCentreScalesByOnePlusFourGain) {
  for (std::size_t band = 0; band < equalizer_band_count; ++band) {
    const double centre = equalizer_band_centres_hz[band];
    for (const float gain : {-0.2f, 0.25f, 1.0f}) {
      const auto measured = measured_gain(one_band(band, gain), centre);
      const double predicted = 1.0 + 4.0 * gain;
      EXPECT_NEAR(measured[0], predicted, predicted * 1e-3) << "band " << band << " gain " << gain;
      EXPECT_NEAR(measured[1], predicted, predicted * 1e-3) << "band " << band << " gain " << gain;
    }
  }
}

TEST(EqualizerFilter, MinimumGainSilencesTheCentre) {
  for (const std::size_t band : {0u, 7u, 14u}) {
    const auto measured = measured_gain(one_band(band, -0.25f), equalizer_band_centres_hz[band]);
    EXPECT_LT(decibels(measured[0]), -60.0) << band;
  }
}

TEST(EqualizerFilter, NeighbouringBandsOverlapAndDistantOnesAreUntouched) {
  const equalizer_settings boost = one_band(8, 1.0f);  // 1 kHz, +14 dB at the centre
  for (const double neighbour : {equalizer_band_centres_hz[7], equalizer_band_centres_hz[9]}) {
    const double gain = measured_gain(boost, neighbour)[0];
    EXPECT_GT(decibels(gain), 6.0) << neighbour;
    EXPECT_LT(decibels(gain), decibels(5.0) - 3.0) << neighbour;  // past the band's -3 dB edge
  }
  for (const double distant : {equalizer_band_centres_hz[3], equalizer_band_centres_hz[13]}) {
    EXPECT_NEAR(decibels(measured_gain(boost, distant)[0]), 0.0, 1.0) << distant;
  }
}

TEST(EqualizerFilter, BandsCombine) {
  equalizer_settings settings;
  settings.gains[2] = 0.5f;
  settings.gains[12] = -0.2f;
  // Far apart: each band rules at its own centre, the other barely contributes.
  EXPECT_NEAR(measured_gain(settings, equalizer_band_centres_hz[2])[0], 3.0, 0.05);
  EXPECT_NEAR(measured_gain(settings, equalizer_band_centres_hz[12])[0], 0.2, 0.02);
}

TEST(EqualizerFilter, OutputClipsAtFullScale) {
  const std::vector<float> out = equalized(one_band(8, 1.0f), stereo_sine(1000, 0.5, second));
  EXPECT_EQ(*std::max_element(out.begin(), out.end()), 1.0f);
  EXPECT_EQ(*std::min_element(out.begin(), out.end()), -1.0f);
}

TEST(EqualizerFilter, RejectsGainsOutsideLavalinksRange) {
  for (const float bad : {-0.26f, 1.01f, std::numeric_limits<float>::quiet_NaN(),
                          std::numeric_limits<float>::infinity()}) {
    EXPECT_THROW(validate(one_band(4, bad)), std::invalid_argument) << bad;
    EXPECT_THROW(equalizer_filter(one_band(4, bad)), std::invalid_argument) << bad;
  }
  try {
    validate(one_band(3, 1.5f));
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_STREQ(e.what(), "gains[3] must be in [-0.25, 1] (got 1.5)");
  }
}

equalizer_settings mixed_gains() {
  equalizer_settings settings;
  for (std::size_t b = 0; b < equalizer_band_count; ++b) settings.gains[b] = b % 2 ? 0.3f : -0.1f;
  return settings;
}

TEST(EqualizerFilter, BlockSplitInvariant) {
  const std::vector<float> in = stereo_noise(0.2, 4800);
  const std::vector<float> expected = equalized(mixed_gains(), in);
  equalizer_filter split(mixed_gains());
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), expected);
}

TEST(EqualizerFilter, NonFiniteInputDoesNotPoisonState) {
  std::vector<float> in = stereo_noise(0.2, 4800);
  std::vector<float> silenced = in;
  in[55] = std::numeric_limits<float>::quiet_NaN();
  in[1000] = std::numeric_limits<float>::infinity();
  silenced[55] = 0.0f;
  silenced[1000] = 0.0f;
  const std::vector<float> out = equalized(mixed_gains(), in);
  for (const float s : out) ASSERT_TRUE(std::isfinite(s));
  EXPECT_EQ(out, equalized(mixed_gains(), silenced));
}

TEST(EqualizerFilter, ResetForgetsHistory) {
  const std::vector<float> after = stereo_noise(0.2, 960, 2);
  equalizer_filter filter(mixed_gains());
  std::vector<float> block = stereo_noise(0.2, 960, 1);
  filter.process(block);
  filter.reset();
  block = after;
  filter.process(block);
  EXPECT_EQ(block, equalized(mixed_gains(), after));
}

}  // namespace
}  // namespace spence::engine
