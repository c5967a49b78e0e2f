#include "engine/dsp/tremolo_filter.hpp"

#include "engine/dsp/setting_range.hpp"

#include <limits>

namespace spence::engine {

void validate(const tremolo_settings& s) {
  require_range("frequency", s.frequency, 0, std::numeric_limits<float>::max(), lower_bound::exclusive);
  require_range("depth", s.depth, 0, 1);
}

tremolo_filter::tremolo_filter(const tremolo_settings& s) : lfo_((validate(s), s.frequency)), half_depth_(s.depth / 2.0) {}

void tremolo_filter::process(std::span<float> stereo) {
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    const auto gain = static_cast<float>((1 - half_depth_) + half_depth_ * lfo_.next());
    stereo[i] *= gain;
    stereo[i + 1] *= gain;
  }
}

void tremolo_filter::reset() { lfo_.reset(); }

}  // namespace spence::engine
