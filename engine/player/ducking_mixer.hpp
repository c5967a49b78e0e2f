#pragma once
// The effect layer: short clips (a sound effect, a notification) mixed over the music, with the
// music ducked while one sounds. The music's gain ramps down to duck_gain over the attack time when
// an effect starts and back up to 1 over the release time after it ends, so the effect is heard
// over the music and the music never jumps.
//
// The envelope is a gain_ramp (linear in amplitude): the same ramp that de-clicks the player, whose
// retarget starts from the current gain, so an effect ending mid-attack turns smoothly into the
// release. An effect "sounds" on every frame for which the caller passes effect samples; its loudness
// plays no part, so the music is already ducked when a clip that starts softly gets loud.

#include <boost/describe/class.hpp>
#include "engine/player/gain_ramp.hpp"

#include <cstddef>
#include <span>

namespace spence::engine {

struct ducking_settings {
  float duck_gain = 0.3f;     // music gain while an effect sounds, in [0, 1]; 0.3 is about -10 dB
  float attack_ms = 20.0f;    // time for the music to go down, in [0, max_ramp_ms]
  float release_ms = 300.0f;  // time for the music to come back after the effect, in [0, max_ramp_ms]

  // Beyond 10 s a "ramp" would outlast any short effect clip; longer values are a mistake.
  static constexpr float max_ramp_ms = 10000.0f;
};
BOOST_DESCRIBE_STRUCT(ducking_settings, (), (duck_gain, attack_ms, release_ms))

// Throws std::invalid_argument (message starting with the field name) for a non-finite or
// out-of-range field.
void validate(const ducking_settings& settings);

class ducking_mixer {
 public:
  // Throws std::invalid_argument for invalid settings.
  explicit ducking_mixer(const ducking_settings& settings);

  // Adds `effect` onto the music in place, both interleaved stereo. effect may be empty (no effect)
  // or shorter than the music block (the effect ended mid-block); longer throws
  // std::invalid_argument. The sum is clamped to [-1, 1], the encoder's range: the ducking keeps
  // overshoots rare and short, and a clamp, unlike a soft limiter, leaves every in-range sample as it
  // is and needs no state. A non-finite sample of either input becomes silence.
  void mix(std::span<float> music_inout, std::span<const float> effect);

  // The music gain the last mixed frame got.
  float music_gain() const noexcept { return envelope_.current(); }

 private:
  // Retargets the envelope when the effect starts or stops sounding.
  void follow(bool effect_sounding);

  float duck_gain_;
  std::size_t attack_frames_;
  std::size_t release_frames_;
  gain_ramp envelope_{1.0f};
  bool effect_sounding_ = false;
};

}  // namespace spence::engine
