#include "engine/dsp/distortion_filter.hpp"

#include "tests/engine/dsp/stereo_signal.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

std::vector<float> distort(const distortion_settings& settings, std::vector<float> signal) {
  distortion_filter filter(settings);
  filter.process(signal);
  return signal;
}

// Each field with its JSON name, to change one at a time.
struct field {
  const char* name;
  float distortion_settings::* member;
};
constexpr field fields[] = {
    {"sinOffset", &distortion_settings::sin_offset}, {"sinScale", &distortion_settings::sin_scale},
    {"cosOffset", &distortion_settings::cos_offset}, {"cosScale", &distortion_settings::cos_scale},
    {"tanOffset", &distortion_settings::tan_offset}, {"tanScale", &distortion_settings::tan_scale},
    {"offset", &distortion_settings::offset},        {"scale", &distortion_settings::scale}};

TEST(DistortionFilter, DefaultsAreLavalinksAndDisabled) {
  const distortion_settings d;
  EXPECT_EQ(d.sin_offset, 0.0f);
  EXPECT_EQ(d.sin_scale, 1.0f);
  EXPECT_EQ(d.cos_offset, 0.0f);
  EXPECT_EQ(d.cos_scale, 1.0f);
  EXPECT_EQ(d.tan_offset, 0.0f);
  EXPECT_EQ(d.tan_scale, 1.0f);
  EXPECT_EQ(d.offset, 0.0f);
  EXPECT_EQ(d.scale, 1.0f);
  EXPECT_FALSE(d.enabled());
  for (const field& f : fields) {
    distortion_settings changed;
    changed.*f.member += 0.5f;
    EXPECT_TRUE(changed.enabled()) << f.name;
  }
  // At the defaults the formula is sin^2(x), not the identity; Lavalink builds no filter, so the
  // signal must come out as it went in.
  const auto in = test::stereo_noise(1.0, 4800);
  EXPECT_EQ(distort(d, in), in);
}

TEST(DistortionFilter, MatchesClosedFormsOfTheFormula) {
  const auto in = test::stereo_noise(1.0, 4800);
  // scale 0.5 alone: 0.5 * sin(x) cos(x) tan(x) = 0.5 sin^2(x).
  const auto half_square = distort({.scale = 0.5f}, in);
  // offset -1, scale 2: 2 sin^2(x) - 1 = -cos(2x).
  const auto cosine = distort({.offset = -1.0f, .scale = 2.0f}, in);
  // tanScale 0, tanOffset 1: sin(x) cos(x) = sin(2x) / 2.
  const auto sine = distort({.tan_offset = 1.0f, .tan_scale = 0.0f}, in);
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    ASSERT_NEAR(half_square[i], 0.5 * std::sin(x) * std::sin(x), 2e-7) << x;
    ASSERT_NEAR(cosine[i], -std::cos(2 * x), 2e-7) << x;
    ASSERT_NEAR(sine[i], std::sin(2 * x) / 2, 2e-7) << x;
  }
}

TEST(DistortionFilter, MatchesTheFormulaForGeneralSettings) {
  const distortion_settings s{.sin_offset = 0.1f, .sin_scale = 2.5f, .cos_offset = -0.3f, .cos_scale = 3.0f,
                              .tan_offset = 0.7f, .tan_scale = 0.9f, .offset = 0.05f, .scale = 1.7f};
  const auto in = test::stereo_noise(1.0, 48000);
  const auto out = distort(s, in);
  std::size_t clamped = 0;
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double x = in[i];
    const double y = s.offset + s.scale * (s.sin_offset + std::sin(x * s.sin_scale)) *
                                    (s.cos_offset + std::cos(x * s.cos_scale)) * (s.tan_offset + std::tan(x * s.tan_scale));
    ASSERT_NEAR(out[i], std::clamp(y, -1.0, 1.0), 1e-6) << x;
    clamped += std::abs(y) > 1;
  }
  EXPECT_GT(clamped, 0u) << "the clamp should have been exercised";
}

TEST(DistortionFilter, OutputStaysWithinFullScale) {
  // tan(x * pi) passes its pole at x = +-0.5, and the scale is huge: only the clamp keeps it sane.
  const auto out = distort({.tan_scale = static_cast<float>(std::numbers::pi), .scale = 1000.0f},
                           test::stereo_sine(440, 1.0, 48000));
  EXPECT_TRUE(std::all_of(out.begin(), out.end(), [](float s) { return s >= -1.0f && s <= 1.0f; }));
  EXPECT_NE(std::find(out.begin(), out.end(), 1.0f), out.end());
}

TEST(DistortionFilter, NonFiniteSamplesBecomeSilence) {
  const distortion_settings s{.scale = 0.5f};
  const auto clean = test::stereo_noise(0.5, 960);
  auto broken = clean;
  broken[10] = std::numeric_limits<float>::quiet_NaN();
  broken[11] = std::numeric_limits<float>::infinity();
  broken[12] = -std::numeric_limits<float>::infinity();
  const auto expected = distort(s, clean);
  const auto out = distort(s, broken);
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (i >= 10 && i <= 12)
      EXPECT_EQ(out[i], 0.0f) << "sample " << i;
    else
      ASSERT_EQ(out[i], expected[i]) << "sample " << i;
  }
}

TEST(DistortionFilter, RejectsNonFiniteSettings) {
  for (const field& f : fields) {
    for (const float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
      distortion_settings s;
      s.*f.member = bad;
      try {
        validate(s);
        ADD_FAILURE() << f.name << " = " << bad << " accepted";
      } catch (const std::invalid_argument& e) {
        EXPECT_EQ(std::string(e.what()).rfind(std::string(f.name) + " ", 0), 0u) << e.what();
      }
      EXPECT_THROW(distortion_filter{s}, std::invalid_argument);
    }
  }
}

TEST(DistortionFilter, SplittingIntoBlocksChangesNothing) {
  const distortion_settings s{.sin_scale = 3.0f, .offset = 0.1f};
  const auto in = test::stereo_noise(1.0, 24000);
  distortion_filter split(s);
  EXPECT_EQ(test::process_in_blocks(split, in, test::uneven_blocks), distort(s, in));
  split.reset();
  auto again = in;
  split.process(again);
  EXPECT_EQ(again, distort(s, in));
}

}  // namespace
}  // namespace spence::engine
