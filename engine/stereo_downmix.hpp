#pragma once
// Mixing any supported channel layout (1-8 channels, WAV/SMPTE order) to stereo, the only layout
// Discord plays.

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

namespace spence::engine {

class stereo_downmix {
 public:
  static constexpr int max_channels = 8;

  // Throws media_error(unsupported_codec) naming source for more than max_channels.
  stereo_downmix(int channels, std::string_view source);

  // in: frames * channels interleaved; out: frames * 2 interleaved. Sizes must agree.
  void apply(std::span<const float> in, std::span<float> out) const;

  int channels() const noexcept { return channels_; }

 private:
  int channels_;
  // Gains of each input channel into the left and the right output.
  std::array<float, max_channels> left_{};
  std::array<float, max_channels> right_{};
};

}  // namespace spence::engine
