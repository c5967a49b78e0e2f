#include "engine/player/crossfade.hpp"

#include "engine/dsp/finite_sample.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace spence::engine {

void crossfade::mix(std::span<const float> outgoing, std::span<const float> incoming, std::span<float> out) {
  if (out.size() != incoming.size())
    throw std::invalid_argument("crossfade: out must have the incoming block's length");
  if (outgoing.size() > incoming.size())
    throw std::invalid_argument("crossfade: outgoing block longer than the incoming block");
  for (std::size_t i = 0; i + 1 < incoming.size(); i += 2) {
    if (done()) {
      out[i] = finite_or_silence(incoming[i]);
      out[i + 1] = finite_or_silence(incoming[i + 1]);
      continue;
    }
    const double angle = std::numbers::pi / 2 * static_cast<double>(progress_frames_) /
                         static_cast<double>(length_frames_);
    const double out_gain = std::cos(angle);
    const double in_gain = std::sin(angle);
    for (std::size_t c = i; c < i + 2; ++c) {
      const double tail = c < outgoing.size() ? finite_or_silence(outgoing[c]) : 0.0;
      out[c] = static_cast<float>(std::clamp(tail * out_gain + finite_or_silence(incoming[c]) * in_gain, -1.0, 1.0));
    }
    ++progress_frames_;
  }
}

}  // namespace spence::engine
