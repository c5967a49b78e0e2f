#pragma once
// Keeping samples finite through the filters. A NaN or infinite input sample (a broken decoder, a
// bad upstream filter) is treated as silence, so it can neither leak into a filter's history and
// poison every later sample nor reach the Opus encoder. A result computed in double that may leave
// float's range (sums of near-maximal samples) saturates instead, because converting an
// out-of-range double to float is undefined behaviour.

#include <algorithm>
#include <cmath>
#include <limits>

namespace spence::engine {

inline float finite_or_silence(float sample) noexcept { return std::isfinite(sample) ? sample : 0.0f; }

inline float saturate_to_float(double value) noexcept {
  constexpr double largest = std::numeric_limits<float>::max();
  return static_cast<float>(std::clamp(value, -largest, largest));
}

}  // namespace spence::engine
