#pragma once
// Lavalink's `volume` filter: a plain gain with hard clipping, out = clamp(in * volume, -1, 1).
// Unlike the player volume it may boost up to 5x.

#include <boost/describe/class.hpp>
#include <span>

namespace spence::engine {

struct volume_settings {
  float volume = 1.0f;  // 1 = unchanged; Lavalink allows (0, 5]

  bool enabled() const noexcept { return volume != 1.0f; }
};
BOOST_DESCRIBE_STRUCT(volume_settings, (), (volume))

void validate(const volume_settings& settings);

class volume_filter {
 public:
  explicit volume_filter(const volume_settings& settings);

  void process(std::span<float> stereo);
  void reset() {}  // no history

 private:
  float volume_;
};

}  // namespace spence::engine
