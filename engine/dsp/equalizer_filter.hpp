#pragma once
// Lavalink's `equalizer` filter: a 15-band graphic equalizer with Lavalink's gain semantics.
// Each band is a second-order band-pass section; per sample
//   out = clamp(4 * (0.25 * x + sum_b gain_b * bandpass_b(x)), -1, 1),
// so gain 0 leaves a band alone, and at a band's centre frequency (where the band-pass passes with
// unit gain and zero phase, and the neighbours are at 0) the signal is scaled by 1 + 4 * gain:
// -0.25 silences it, 1 boosts it 5x (+14 dB).

#include <boost/describe/class.hpp>
#include <array>
#include <cstddef>
#include <span>

namespace spence::engine {

inline constexpr std::size_t equalizer_band_count = 15;
inline constexpr std::array<double, equalizer_band_count> equalizer_band_centres_hz{
    25, 40, 63, 100, 160, 250, 400, 630, 1000, 1600, 2500, 4000, 6300, 10000, 16000};

struct equalizer_settings {
  std::array<float, equalizer_band_count> gains{};  // each within [-0.25, 1]; 0 = flat

  bool enabled() const noexcept {
    for (const float gain : gains) {
      if (gain != 0.0f) return true;
    }
    return false;
  }
};
BOOST_DESCRIBE_STRUCT(equalizer_settings, (), (gains))

void validate(const equalizer_settings& settings);

class equalizer_filter {
 public:
  explicit equalizer_filter(const equalizer_settings& settings);

  void process(std::span<float> stereo);
  void reset();

 private:
  // One band-pass section; the two delay elements of each channel (transposed direct form II).
  struct band {
    double gain;
    double b0, a1, a2;  // b1 = 0 and b2 = -b0 for a band-pass
    std::array<std::array<double, 2>, 2> state{};
  };

  std::array<band, equalizer_band_count> bands_{};
  std::size_t active_bands_ = 0;  // bands_ holds only the bands with a non-zero gain
};

}  // namespace spence::engine
