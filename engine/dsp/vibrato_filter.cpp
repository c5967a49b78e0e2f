#include "engine/dsp/vibrato_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace spence::engine {
namespace {

// The cubic through y0 at u = 0 and y1 at u = 1 whose slopes there are the central differences of
// its neighbours (cubic Hermite with Catmull-Rom tangents): continuous in value and slope, so a
// sweeping read point adds no clicks.
float hermite(double before, double y0, double y1, double after, double u) {
  const double m0 = (y1 - before) / 2.0, m1 = (after - y0) / 2.0;
  const double u2 = u * u, u3 = u2 * u;
  const double y = (2 * u3 - 3 * u2 + 1) * y0 + (u3 - 2 * u2 + u) * m0 + (3 * u2 - 2 * u3) * y1 + (u3 - u2) * m1;
  // The curve overshoots its points a little; near the float limit that would not fit in a float.
  constexpr double largest = std::numeric_limits<float>::max();
  return static_cast<float>(std::clamp(y, -largest, largest));
}

}  // namespace

void validate(const vibrato_settings& s) {
  require_range("frequency", s.frequency, 0, vibrato_filter::max_frequency, lower_bound::exclusive);
  require_range("depth", s.depth, 0, 1);
}

vibrato_filter::vibrato_filter(const vibrato_settings& s)
    : lfo_((validate(s), s.frequency)), swing_(s.depth * swing_frames), enabled_(s.enabled()) {}

void vibrato_filter::process(std::span<float> stereo) {
  if (!enabled_) return;
  constexpr std::size_t mask = history_frames - 1;
  for (std::size_t i = 0; i + 1 < stereo.size(); i += 2) {
    newest_ = (newest_ + 1) & mask;
    const double delay = base_delay_frames + swing_ * (1 + lfo_.next()) / 2;
    // The read point lies `fraction` past the frame `whole` frames back.
    const auto whole = static_cast<std::size_t>(std::ceil(delay));
    const double fraction = static_cast<double>(whole) - delay;
    const std::size_t at = newest_ + history_frames - whole;
    for (std::size_t ch = 0; ch < 2; ++ch) {
      auto& line = history_[ch];
      line[newest_] = finite_or_silence(stereo[i + ch]);
      stereo[i + ch] = hermite(line[(at - 1) & mask], line[at & mask], line[(at + 1) & mask], line[(at + 2) & mask], fraction);
    }
  }
}

void vibrato_filter::reset() {
  lfo_.reset();
  history_ = {};
  newest_ = 0;
}

}  // namespace spence::engine
