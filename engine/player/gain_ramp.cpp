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
  const std::size_t end = stereo.size() & ~std::size_t{1};  // whole frames only
  std::size_t i = 0;
  for (; i < end && elapsed_ < ramp_frames_; i += 2) {
    ++elapsed_;
    const double gain = gain_at(elapsed_);
    // In double and saturated: a large gain times a large sample may leave float's range.
    stereo[i] = saturate_to_float(finite_or_silence(stereo[i]) * gain);
    stereo[i + 1] = saturate_to_float(finite_or_silence(stereo[i + 1]) * gain);
  }
  // Settled: one gain for the rest of the block. Unity leaves every finite sample as it is (a float
  // times 1.0 in double is exact), so it only clears the non-finite ones.
  const double gain = target_;
  if (gain == 1.0) {
    for (; i < end; ++i) stereo[i] = finite_or_silence(stereo[i]);
  } else {
    for (; i < end; ++i) stereo[i] = saturate_to_float(finite_or_silence(stereo[i]) * gain);
  }
}

}  // namespace spence::engine
