#include "engine/player/player_volume.hpp"

#include <algorithm>
#include <cmath>

namespace spence::engine {

float player_volume_gain(int percent) {
  percent = std::clamp(percent, 0, 1000);
  if (percent == 100) return 1.0f;
  // lavaplayer's integer multiplier in ten-thousandths, with its float and double steps (the
  // angle in float, the tangent in double, rounded to float, scaled in float, truncated).
  const auto angle = static_cast<double>(static_cast<float>(percent) * 0.0079f);
  const int multiplier = percent <= 150 ? static_cast<int>(static_cast<float>(std::tan(angle)) * 10000.0f)
                                        : 24621 * percent / 150;
  return static_cast<float>(multiplier) / 10000.0f;
}

}  // namespace spence::engine
