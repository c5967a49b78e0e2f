#include "engine/dsp/distortion_filter.hpp"

#include "engine/dsp/setting_range.hpp"

#include <algorithm>
#include <cmath>

namespace spence::engine {

bool distortion_settings::enabled() const noexcept {
  const distortion_settings defaults;
  return sin_offset != defaults.sin_offset || sin_scale != defaults.sin_scale || cos_offset != defaults.cos_offset ||
         cos_scale != defaults.cos_scale || tan_offset != defaults.tan_offset || tan_scale != defaults.tan_scale ||
         offset != defaults.offset || scale != defaults.scale;
}

void validate(const distortion_settings& s) {
  require_finite("sinOffset", s.sin_offset);
  require_finite("sinScale", s.sin_scale);
  require_finite("cosOffset", s.cos_offset);
  require_finite("cosScale", s.cos_scale);
  require_finite("tanOffset", s.tan_offset);
  require_finite("tanScale", s.tan_scale);
  require_finite("offset", s.offset);
  require_finite("scale", s.scale);
}

distortion_filter::distortion_filter(const distortion_settings& s) : settings_((validate(s), s)), enabled_(s.enabled()) {}

void distortion_filter::process(std::span<float> stereo) {
  if (!enabled_) return;
  const distortion_settings& s = settings_;
  for (float& sample : stereo) {
    const double x = sample;
    const double shaped = s.offset + s.scale * (s.sin_offset + std::sin(x * s.sin_scale)) *
                                         (s.cos_offset + std::cos(x * s.cos_scale)) *
                                         (s.tan_offset + std::tan(x * s.tan_scale));
    // A non-finite input (sin of infinity) or a 0 * infinity product has no value to clamp: silence.
    sample = std::isnan(shaped) ? 0.0f : static_cast<float>(std::clamp(shaped, -1.0, 1.0));
  }
}

}  // namespace spence::engine
