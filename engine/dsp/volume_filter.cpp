#include "engine/dsp/volume_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>

namespace spence::engine {

void validate(const volume_settings& settings) {
  require_range("volume", settings.volume, 0.0, 5.0, lower_bound::exclusive);
}

volume_filter::volume_filter(const volume_settings& settings) : volume_(settings.volume) {
  validate(settings);
}

void volume_filter::process(std::span<float> stereo) {
  for (float& sample : stereo) sample = std::clamp(finite_or_silence(sample) * volume_, -1.0f, 1.0f);
}

}  // namespace spence::engine
