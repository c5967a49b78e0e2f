#include "engine/player/gain_ramp.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

namespace spence::engine {

gain_ramp::gain_ramp(float initial) : start_(initial), target_(initial) { require_at_least("gain", initial, 0); }

void gain_ramp::set_target(float gain, std::size_t ramp_frames) {
  require_at_least("gain", gain, 0);
  start_ = gain_at(elapsed_);
  target_ = gain;
  ramp_frames_ = ramp_frames;
  elapsed_ = 0;
}

double gain_ramp::gain_at(std::size_t elapsed) const noexcept {
  if (elapsed >= ramp_frames_) return target_;
  return start_ + (target_ - start_) * static_cast<double>(elapsed) / static_cast<double>(ramp_frames_);
}

float gain_ramp::current() const noexcept { return static_cast<float>(gain_at(elapsed_)); }

void gain_ramp::apply(std::span<float> stereo) {
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    if (elapsed_ < ramp_frames_) ++elapsed_;
    const double gain = gain_at(elapsed_);
    // In double and saturated: a large gain times a large sample may leave float's range.
    stereo[i] = saturate_to_float(finite_or_silence(stereo[i]) * gain);
    stereo[i + 1] = saturate_to_float(finite_or_silence(stereo[i + 1]) * gain);
  }
}

}  // namespace spence::engine
