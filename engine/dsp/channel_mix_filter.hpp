#pragma once
// Lavalink's `channelMix` filter: a 2x2 matrix on each stereo frame, clipped to [-1, 1]:
//   L' = leftToLeft * L + rightToLeft * R,   R' = leftToRight * L + rightToRight * R.
// All 0.5 gives mono; swapping the diagonals swaps the channels.

#include <boost/describe/class.hpp>
#include <span>

namespace spence::engine {

struct channel_mix_settings {
  float left_to_left = 1.0f;  // each factor within [0, 1]
  float left_to_right = 0.0f;
  float right_to_left = 0.0f;
  float right_to_right = 1.0f;

  // Lavalink runs the filter once any factor differs from the identity matrix.
  bool enabled() const noexcept {
    return left_to_left != 1.0f || left_to_right != 0.0f || right_to_left != 0.0f || right_to_right != 1.0f;
  }
};
BOOST_DESCRIBE_STRUCT(channel_mix_settings, (), (left_to_left, left_to_right, right_to_left, right_to_right))

void validate(const channel_mix_settings& settings);

class channel_mix_filter {
 public:
  explicit channel_mix_filter(const channel_mix_settings& settings);

  void process(std::span<float> stereo);
  void reset() {}  // no history

 private:
  channel_mix_settings mix_;
};

}  // namespace spence::engine
