#include "engine/dsp/filter_chain.hpp"

#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

template <typename Settings, typename Filter>
void build(const std::optional<Settings>& settings, std::optional<Filter>& filter, bool& active) {
  if (settings && settings->enabled()) {
    filter.emplace(*settings);
    active = true;
  }
}

template <typename Settings>
void check(const std::optional<Settings>& settings, const char* name) {
  if (!settings) return;
  try {
    validate(*settings);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string(name) + "." + e.what());
  }
}

// SoundTouch hands out what it has; take in slices of this many frames.
constexpr std::size_t take_frames = 4096;

}  // namespace

bool filter_settings::any_enabled() const noexcept {
  const auto on = [](const auto& s) { return s && s->enabled(); };
  return on(volume) || on(equalizer) || on(karaoke) || on(timescale) || on(tremolo) || on(vibrato) ||
         on(rotation) || on(distortion) || on(channel_mix) || on(low_pass);
}

void validate(const filter_settings& s) {
  check(s.volume, "volume");
  check(s.equalizer, "equalizer");
  check(s.karaoke, "karaoke");
  check(s.timescale, "timescale");
  check(s.tremolo, "tremolo");
  check(s.vibrato, "vibrato");
  check(s.rotation, "rotation");
  check(s.distortion, "distortion");
  check(s.channel_mix, "channelMix");
  check(s.low_pass, "lowPass");
}

filter_chain::filter_chain(const filter_settings& s) {
  validate(s);
  build(s.low_pass, low_pass_, active_);
  build(s.channel_mix, channel_mix_, active_);
  build(s.rotation, rotation_, active_);
  build(s.distortion, distortion_, active_);
  build(s.vibrato, vibrato_, active_);
  build(s.tremolo, tremolo_, active_);
  build(s.timescale, timescale_, active_);
  build(s.karaoke, karaoke_, active_);
  build(s.equalizer, equalizer_, active_);
  build(s.volume, volume_, active_);
}

std::span<const float> filter_chain::process(std::span<const float> stereo) {
  work_.assign(stereo.begin(), stereo.end());
  const std::span<float> block(work_);
  if (low_pass_) low_pass_->process(block);
  if (channel_mix_) channel_mix_->process(block);
  if (rotation_) rotation_->process(block);
  if (distortion_) distortion_->process(block);
  if (vibrato_) vibrato_->process(block);
  if (tremolo_) tremolo_->process(block);
  if (!timescale_) return after_timescale(block);
  timescale_->put(block);
  stretched_.clear();
  for (;;) {
    const std::size_t at = stretched_.size();
    stretched_.resize(at + take_frames * 2);
    const std::size_t got = timescale_->take(std::span(stretched_).subspan(at));
    stretched_.resize(at + got * 2);
    if (got < take_frames) break;
  }
  return after_timescale(stretched_);
}

std::span<const float> filter_chain::flush() {
  if (!timescale_) return {};
  timescale_->flush();
  return process({});
}

std::span<const float> filter_chain::after_timescale(std::span<float> block) {
  if (karaoke_) karaoke_->process(block);
  if (equalizer_) equalizer_->process(block);
  if (volume_) volume_->process(block);
  return block;
}

void filter_chain::reset() {
  if (low_pass_) low_pass_->reset();
  if (channel_mix_) channel_mix_->reset();
  if (rotation_) rotation_->reset();
  if (distortion_) distortion_->reset();
  if (vibrato_) vibrato_->reset();
  if (tremolo_) tremolo_->reset();
  if (timescale_) timescale_->reset();
  if (karaoke_) karaoke_->reset();
  if (equalizer_) equalizer_->reset();
  if (volume_) volume_->reset();
}

}  // namespace spence::engine
