#include "engine/player/ducking_mixer.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace spence::engine {
namespace {

constexpr double frames_per_ms = 48.0;

// At least the de-click ramp: an attack or release of 0 ms means "as fast as possible", and a
// faster ramp than that would click.
std::size_t ramp_frames(float ms) {
  return std::max(declick_ramp_frames, static_cast<std::size_t>(std::lround(ms * frames_per_ms)));
}

}  // namespace

void validate(const ducking_settings& s) {
  require_range("duck_gain", s.duck_gain, 0, 1);
  require_range("attack_ms", s.attack_ms, 0, ducking_settings::max_ramp_ms);
  require_range("release_ms", s.release_ms, 0, ducking_settings::max_ramp_ms);
}

ducking_mixer::ducking_mixer(const ducking_settings& s)
    : duck_gain_((validate(s), s.duck_gain)),
      attack_frames_(ramp_frames(s.attack_ms)),
      release_frames_(ramp_frames(s.release_ms)) {}

void ducking_mixer::follow(bool effect_sounding) {
  if (effect_sounding == effect_sounding_) return;
  effect_sounding_ = effect_sounding;
  if (effect_sounding)
    envelope_.set_target(duck_gain_, attack_frames_);
  else
    envelope_.set_target(1.0f, release_frames_);
}

void ducking_mixer::mix(std::span<float> music_inout, std::span<const float> effect) {
  if (effect.size() > music_inout.size())
    throw std::invalid_argument("ducking mixer: effect block longer than the music block");
  const std::size_t effect_samples = effect.size() & ~std::size_t{1};  // whole frames only
  const auto with_effect = music_inout.first(effect_samples);
  const auto after_effect = music_inout.subspan(effect_samples);
  if (!with_effect.empty()) {
    follow(true);
    envelope_.apply(with_effect);
    for (std::size_t i = 0; i < with_effect.size(); ++i)
      with_effect[i] = std::clamp(with_effect[i] + finite_or_silence(effect[i]), -1.0f, 1.0f);
  }
  if (after_effect.size() >= 2) {
    follow(false);
    envelope_.apply(after_effect);
    for (float& sample : after_effect) sample = std::clamp(sample, -1.0f, 1.0f);
  }
}

}  // namespace spence::engine
