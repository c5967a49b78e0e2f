#include "engine/dsp/rotation_filter.hpp"

#include "engine/dsp/setting_range.hpp"

namespace spence::engine {

void validate(const rotation_settings& s) {
  require_finite("rotationHz", s.rotation_hz);
}

rotation_filter::rotation_filter(const rotation_settings& s) : lfo_((validate(s), s.rotation_hz)), enabled_(s.enabled()) {}

void rotation_filter::process(std::span<float> stereo) {
  if (!enabled_) return;
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    const double pan = lfo_.next();
    stereo[i] *= static_cast<float>((1 + pan) / 2);
    stereo[i + 1] *= static_cast<float>((1 - pan) / 2);
  }
}

void rotation_filter::reset() { lfo_.reset(); }

}  // namespace spence::engine
