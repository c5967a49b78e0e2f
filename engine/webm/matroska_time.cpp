#include "engine/webm/matroska_time.hpp"

#include <cmath>
#include <limits>

namespace spence::engine {
namespace {

constexpr std::int64_t samples_per_second = 48'000;
constexpr std::int64_t nanoseconds_per_second = 1'000'000'000;

}  // namespace

std::optional<std::int64_t> matroska_ticks_to_samples(std::int64_t ticks, std::uint64_t scale_ns) noexcept {
  const __int128 ns = static_cast<__int128>(ticks) * static_cast<__int128>(scale_ns);
  if (ns > std::numeric_limits<std::int64_t>::max() || ns < std::numeric_limits<std::int64_t>::min()) return std::nullopt;
  // Nearest sample, halves away from minus infinity: floor((ns * rate + 1e9 / 2) / 1e9).
  const __int128 scaled = ns * samples_per_second + nanoseconds_per_second / 2;
  __int128 samples = scaled / nanoseconds_per_second;
  if (scaled % nanoseconds_per_second < 0) --samples;
  return static_cast<std::int64_t>(samples);
}

std::optional<std::int64_t> matroska_ticks_to_samples(std::uint64_t ticks, std::uint64_t scale_ns) noexcept {
  if (ticks > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
  return matroska_ticks_to_samples(static_cast<std::int64_t>(ticks), scale_ns);
}

std::optional<std::int64_t> matroska_duration_to_samples(double ticks, std::uint64_t scale_ns) noexcept {
  const double samples = std::round(ticks * static_cast<double>(scale_ns) * samples_per_second / nanoseconds_per_second);
  // 2^62 samples is 3 million years: anything near int64's range is corrupt.
  if (!std::isfinite(samples) || samples < 0 || samples > 0x1p62) return std::nullopt;
  return static_cast<std::int64_t>(samples);
}

}  // namespace spence::engine
