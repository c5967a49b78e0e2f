#pragma once
// Lavalink's `lowPass` filter: a one-pole smoother per channel, v += (x - v) / smoothing.
// Higher smoothing cuts more treble (about -27 dB at 10 kHz for the default 20); 1 or less is
// no smoothing at all, which is why Lavalink only enables it above 1.

#include <boost/describe/class.hpp>
#include <array>
#include <span>

namespace spence::engine {

struct low_pass_settings {
  float smoothing = 20.0f;  // any finite value; <= 1 means off

  bool enabled() const noexcept { return smoothing > 1.0f; }
};
BOOST_DESCRIBE_STRUCT(low_pass_settings, (), (smoothing))

void validate(const low_pass_settings& settings);

class low_pass_filter {
 public:
  explicit low_pass_filter(const low_pass_settings& settings);

  void process(std::span<float> stereo);
  void reset();

 private:
  double step_;                     // 1 / smoothing, or 1 (pass-through) when disabled
  std::array<double, 2> value_{};  // the smoothed value of each channel
};

}  // namespace spence::engine
