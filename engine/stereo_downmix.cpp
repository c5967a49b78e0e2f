#include "engine/stereo_downmix.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spence::engine {
namespace {

// -3 dB, the usual weight for centre and surround channels folded into the front pair.
constexpr float minus3db = 0.70710678f;

}  // namespace

stereo_downmix::stereo_downmix(int channels, std::string_view source) : channels_(channels) {
  if (channels < 1 || channels > max_channels)
    throw media_error(media_errc::unsupported_codec, source, fmt::format("{} channels (at most {} are mixed)", channels, max_channels));
  // Channel orders (WAVE_FORMAT_EXTENSIBLE / SMPTE): FL FR FC LFE BL BR SL SR for 7.1, with the
  // smaller layouts as each count's common case. The LFE channel is dropped, as ITU-R BS.775 does.
  enum : int { L, R, C, LFE, BL, BR, SL, SR, BC };
  auto set = [&](int channel, int kind) {
    switch (kind) {
      case L: left_[channel] = 1; break;
      case R: right_[channel] = 1; break;
      case C: left_[channel] = right_[channel] = minus3db; break;
      case BL: case SL: left_[channel] = minus3db; break;
      case BR: case SR: right_[channel] = minus3db; break;
      case BC: left_[channel] = right_[channel] = 0.5f; break;
      default: break;
    }
  };
  static constexpr int layouts[max_channels][max_channels] = {
      {C},                          // 1: mono goes to both sides at equal loudness (fixed below)
      {L, R},                       // 2
      {L, R, C},                    // 3
      {L, R, BL, BR},               // 4: quad
      {L, R, C, BL, BR},            // 5
      {L, R, C, LFE, BL, BR},       // 6: 5.1
      {L, R, C, LFE, BC, SL, SR},   // 7: 6.1
      {L, R, C, LFE, BL, BR, SL, SR}};  // 8: 7.1
  for (int ch = 0; ch < channels; ++ch) set(ch, layouts[channels - 1][ch]);
  if (channels == 1) {
    left_[0] = right_[0] = 1;  // a mono source is played as it is on both sides
    return;
  }
  // Rows normalised to a sum of 1, so a full-scale signal on every channel cannot clip.
  float left_sum = 0, right_sum = 0;
  for (int ch = 0; ch < channels; ++ch) left_sum += left_[ch], right_sum += right_[ch];
  for (int ch = 0; ch < channels; ++ch) left_[ch] /= left_sum, right_[ch] /= right_sum;
}

void stereo_downmix::apply(std::span<const float> in, std::span<float> out) const {
  const std::size_t frames = in.size() / static_cast<std::size_t>(channels_);
  if (channels_ == 2) {
    std::copy_n(in.begin(), frames * 2, out.begin());
    return;
  }
  for (std::size_t f = 0; f < frames; ++f) {
    const float* frame = in.data() + f * channels_;
    float l = 0, r = 0;
    for (int ch = 0; ch < channels_; ++ch) l += frame[ch] * left_[ch], r += frame[ch] * right_[ch];
    out[2 * f] = l;
    out[2 * f + 1] = r;
  }
}

}  // namespace spence::engine
