#pragma once
// Lavalink's tremolo: the loudness of both channels swings with a sine,
// gain = (1 - depth/2) + (depth/2) * sin(phase), between 1 and 1 - depth.

#include <boost/describe/class.hpp>
#include "engine/dsp/sine_lfo.hpp"

#include <span>

namespace spence::engine {

struct tremolo_settings {
  float frequency = 2.0f;  // Hz, > 0
  float depth = 0.5f;      // 0 < depth <= 1; 0 switches the filter off

  bool enabled() const noexcept { return depth != 0.0f; }
};
BOOST_DESCRIBE_STRUCT(tremolo_settings, (), (frequency, depth))

// frequency finite and > 0; depth in [0, 1]. Lavalink's own range for depth excludes 0, but it never
// builds the filter at depth 0 (not enabled), so a client sending 0 to silence it gets no error.
void validate(const tremolo_settings& settings);

class tremolo_filter {
 public:
  explicit tremolo_filter(const tremolo_settings& settings);

  void process(std::span<float> stereo);
  void reset();

 private:
  sine_lfo lfo_;
  double half_depth_;
};

}  // namespace spence::engine
