#include "engine/dsp/karaoke_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace spence::engine {
namespace {

constexpr double sample_rate = 48000.0;

}  // namespace

void validate(const karaoke_settings& settings) {
  require_range("level", settings.level, 0.0, 1.0);
  require_range("monoLevel", settings.mono_level, 0.0, 1.0);
  require_range("filterBand", settings.filter_band, 0.0, sample_rate / 2);
  require_at_least("filterWidth", settings.filter_width, 0.0);
}

karaoke_filter::karaoke_filter(const karaoke_settings& settings)
    : level_(settings.level), band_gain_(double{settings.level} * settings.mono_level) {
  validate(settings);
  constexpr double tau = 2.0 * std::numbers::pi;
  c_ = std::exp(-tau * settings.filter_width / sample_rate);
  b_ = -4.0 * c_ / (1.0 + c_) * std::cos(tau * settings.filter_band / sample_rate);
  // B^2 / 4C <= 4C / (1 + C)^2 <= 1 analytically; the max keeps rounding out of the sqrt.
  a_ = std::sqrt(std::max(0.0, 1.0 - b_ * b_ / (4.0 * c_))) * (1.0 - c_);
}

void karaoke_filter::process(std::span<float> stereo) {
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    const double left = finite_or_silence(stereo[i]);
    const double right = finite_or_silence(stereo[i + 1]);
    const double y = a_ * (left + right) / 2.0 - b_ * y1_ - c_ * y2_;
    y2_ = y1_;
    y1_ = y;
    const double kept = band_gain_ * y;
    stereo[i] = saturate_to_float(left - level_ * right + kept);
    stereo[i + 1] = saturate_to_float(right - level_ * left + kept);
  }
}

void karaoke_filter::reset() {
  y1_ = 0.0;
  y2_ = 0.0;
}

}  // namespace spence::engine
