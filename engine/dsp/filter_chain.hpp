#pragma once
// The Lavalink filter set applied in Lavalink's order (its FilterChain):
//   lowPass -> channelMix -> rotation -> distortion -> vibrato -> tremolo -> timescale -> karaoke
//   -> equalizer -> volume
// on 48 kHz stereo float. Only enabled filters (each settings' Lavalink "enabled when" rule) are
// built; with none, the chain is inactive and a track may pass through untouched.

#include <boost/describe/class.hpp>
#include "engine/dsp/channel_mix_filter.hpp"
#include "engine/dsp/distortion_filter.hpp"
#include "engine/dsp/equalizer_filter.hpp"
#include "engine/dsp/karaoke_filter.hpp"
#include "engine/dsp/low_pass_filter.hpp"
#include "engine/dsp/rotation_filter.hpp"
#include "engine/dsp/timescale_filter.hpp"
#include "engine/dsp/tremolo_filter.hpp"
#include "engine/dsp/vibrato_filter.hpp"
#include "engine/dsp/volume_filter.hpp"

#include <optional>
#include <span>
#include <vector>

namespace spence::engine {

// What a player's `filters` object holds; an absent member is an absent filter.
struct filter_settings {
  std::optional<volume_settings> volume;
  std::optional<equalizer_settings> equalizer;
  std::optional<karaoke_settings> karaoke;
  std::optional<timescale_settings> timescale;
  std::optional<tremolo_settings> tremolo;
  std::optional<vibrato_settings> vibrato;
  std::optional<rotation_settings> rotation;
  std::optional<distortion_settings> distortion;
  std::optional<channel_mix_settings> channel_mix;
  std::optional<low_pass_settings> low_pass;

  // Whether any present filter is enabled by Lavalink's rules.
  bool any_enabled() const noexcept;
};
BOOST_DESCRIBE_STRUCT(filter_settings, (), (volume, equalizer, karaoke, timescale, tremolo, vibrato, rotation, distortion, channel_mix, low_pass))

// Throws std::invalid_argument naming the filter and field of the first invalid value.
void validate(const filter_settings& settings);

class filter_chain {
 public:
  explicit filter_chain(const filter_settings& settings);

  bool active() const noexcept { return active_; }

  // Filters a block. The output may be longer or shorter than the input when timescale is on
  // (it buffers inside SoundTouch); it is valid until the next call.
  std::span<const float> process(std::span<const float> stereo);
  // The end of the track: what timescale still holds, through the filters after it. More audio
  // needs reset() first (a seek does that).
  std::span<const float> flush();
  void reset();

 private:
  std::span<const float> after_timescale(std::span<float> block);

  bool active_ = false;
  std::optional<low_pass_filter> low_pass_;
  std::optional<channel_mix_filter> channel_mix_;
  std::optional<rotation_filter> rotation_;
  std::optional<distortion_filter> distortion_;
  std::optional<vibrato_filter> vibrato_;
  std::optional<tremolo_filter> tremolo_;
  std::optional<timescale_filter> timescale_;
  std::optional<karaoke_filter> karaoke_;
  std::optional<equalizer_filter> equalizer_;
  std::optional<volume_filter> volume_;
  std::vector<float> work_;     // the block being filtered
  std::vector<float> stretched_;  // timescale's output
};

}  // namespace spence::engine
