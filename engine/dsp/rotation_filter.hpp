#pragma once
// Lavalink's rotation ("8D audio"): the sound circles the listener, panned by a sine,
// left *= (1 + sin x) / 2, right *= (1 - sin x) / 2, x advancing 2pi * rotationHz per second.
//
// At rotationHz 0 that formula would not be the identity: x stays 0 and both channels are halved
// (-6 dB). Lavalink never builds the filter at 0 (not enabled), so what a listener hears at 0 is the
// untouched signal, and that is what this filter does at 0 too.

#include <boost/describe/class.hpp>
#include "engine/dsp/sine_lfo.hpp"

#include <span>

namespace spence::engine {

struct rotation_settings {
  double rotation_hz = 0.0;  // JSON "rotationHz"; negative turns the other way round, 0 is off

  bool enabled() const noexcept { return rotation_hz != 0.0; }
};
BOOST_DESCRIBE_STRUCT(rotation_settings, (), (rotation_hz))

// rotationHz must be finite (Lavalink documents no other bound).
void validate(const rotation_settings& settings);

class rotation_filter {
 public:
  explicit rotation_filter(const rotation_settings& settings);

  void process(std::span<float> stereo);
  void reset();

 private:
  sine_lfo lfo_;
  bool enabled_;
};

}  // namespace spence::engine
