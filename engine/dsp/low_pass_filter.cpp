#include "engine/dsp/low_pass_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

namespace spence::engine {

void validate(const low_pass_settings& settings) { require_finite("smoothing", settings.smoothing); }

low_pass_filter::low_pass_filter(const low_pass_settings& settings)
    // A step above 1 would overshoot and, below smoothing 0.5, diverge; a disabled setting
    // therefore passes the signal through instead of running the recursion.
    : step_(settings.enabled() ? 1.0 / settings.smoothing : 1.0) {
  validate(settings);
}

void low_pass_filter::process(std::span<float> stereo) {
  for (std::size_t i = 0; i < stereo.size(); ++i) {
    double& value = value_[i % 2];
    value += (finite_or_silence(stereo[i]) - value) * step_;
    stereo[i] = static_cast<float>(value);
  }
}

void low_pass_filter::reset() { value_ = {}; }

}  // namespace spence::engine
