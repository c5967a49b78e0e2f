#include "engine/dsp/channel_mix_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>

namespace spence::engine {

void validate(const channel_mix_settings& settings) {
  require_range("leftToLeft", settings.left_to_left, 0.0, 1.0);
  require_range("leftToRight", settings.left_to_right, 0.0, 1.0);
  require_range("rightToLeft", settings.right_to_left, 0.0, 1.0);
  require_range("rightToRight", settings.right_to_right, 0.0, 1.0);
}

channel_mix_filter::channel_mix_filter(const channel_mix_settings& settings) : mix_(settings) {
  validate(settings);
}

void channel_mix_filter::process(std::span<float> stereo) {
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    const float left = finite_or_silence(stereo[i]);
    const float right = finite_or_silence(stereo[i + 1]);
    stereo[i] = std::clamp(mix_.left_to_left * left + mix_.right_to_left * right, -1.0f, 1.0f);
    stereo[i + 1] = std::clamp(mix_.left_to_right * left + mix_.right_to_right * right, -1.0f, 1.0f);
  }
}

}  // namespace spence::engine
