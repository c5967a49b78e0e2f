#include "engine/dsp/equalizer_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace spence::engine {
namespace {

constexpr double sample_rate = 48000.0;

// Bandwidth of one octave between the -3 dB points. The centres are 2/3 octave apart, so each
// band's skirt reaches well into its neighbours' and adjacent boosts merge into a smooth shelf
// instead of a comb, as on an octave-ish graphic equalizer.
constexpr double band_q = std::numbers::sqrt2;

}  // namespace

void validate(const equalizer_settings& settings) {
  for (std::size_t b = 0; b < settings.gains.size(); ++b) {
    require_range("gains[" + std::to_string(b) + "]", settings.gains[b], -0.25, 1.0);
  }
}

equalizer_filter::equalizer_filter(const equalizer_settings& settings) {
  validate(settings);
  for (std::size_t b = 0; b < equalizer_band_count; ++b) {
    if (settings.gains[b] == 0.0f) continue;
    // The band-pass with 0 dB peak gain (RBJ's audio EQ cookbook form): at its centre a band
    // passes the input with unchanged level and phase, so the 1 + 4 * gain law holds exactly there.
    const double w0 = 2.0 * std::numbers::pi * equalizer_band_centres_hz[b] / sample_rate;
    const double alpha = std::sin(w0) / (2.0 * band_q);
    const double a0 = 1.0 + alpha;
    bands_[active_bands_++] = band{.gain = settings.gains[b],
                                   .b0 = alpha / a0,
                                   .a1 = -2.0 * std::cos(w0) / a0,
                                   .a2 = (1.0 - alpha) / a0};
  }
}

void equalizer_filter::process(std::span<float> stereo) {
  const std::span<band> active(bands_.data(), active_bands_);
  for (std::size_t i = 0; i < stereo.size(); ++i) {
    const std::size_t channel = i % 2;
    const double x = finite_or_silence(stereo[i]);
    double boost = 0.0;
    for (band& section : active) {
      auto& [s1, s2] = section.state[channel];
      const double y = section.b0 * x + s1;
      s1 = -section.a1 * y + s2;
      s2 = -section.b0 * x - section.a2 * y;
      boost += section.gain * y;
    }
    stereo[i] = static_cast<float>(std::clamp(4.0 * (0.25 * x + boost), -1.0, 1.0));
  }
}

void equalizer_filter::reset() {
  for (band& section : bands_) section.state = {};
}

}  // namespace spence::engine
