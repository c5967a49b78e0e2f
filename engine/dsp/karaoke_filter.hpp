#pragma once
// Lavalink's `karaoke` filter: removes what is panned to the centre (usually the lead vocal) by
// subtracting each channel from the other, then adds back a band of the mono mix (by default the
// bass around 220 Hz, which is also centre-panned but should survive) through a two-pole
// resonator:
//   y = A * (L + R) / 2 - B * y[-1] - C * y[-2]
//   L' = L - level * R + level * monoLevel * y,   R' = R - level * L + level * monoLevel * y
// with C = exp(-2 pi width / fs), B = -4C / (1 + C) * cos(2 pi band / fs),
// A = sqrt(1 - B^2 / 4C) * (1 - C), which makes the resonator's peak gain about 1.

#include <boost/describe/class.hpp>
#include <span>

namespace spence::engine {

struct karaoke_settings {
  float level = 1.0f;          // 0 = no effect, 1 = full effect; within [0, 1]
  float mono_level = 1.0f;     // how much of the kept band returns; within [0, 1]
  float filter_band = 220.0f;  // Hz, the kept band's centre; within [0, 24000] (Nyquist at 48 kHz)
  float filter_width = 100.0f;  // Hz, the kept band's width; finite and >= 0

  // Lavalink runs karaoke whenever it is present.
  bool enabled() const noexcept { return true; }
};
BOOST_DESCRIBE_STRUCT(karaoke_settings, (), (level, mono_level, filter_band, filter_width))

void validate(const karaoke_settings& settings);

class karaoke_filter {
 public:
  explicit karaoke_filter(const karaoke_settings& settings);

  void process(std::span<float> stereo);
  void reset();

 private:
  double level_;
  double band_gain_;  // level * monoLevel
  double a_, b_, c_;
  double y1_ = 0.0;  // the resonator's last two outputs
  double y2_ = 0.0;
};

}  // namespace spence::engine
