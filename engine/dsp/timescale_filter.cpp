#include "engine/dsp/timescale_filter.hpp"

#include "engine/dsp/finite_sample.hpp"
#include "engine/dsp/setting_range.hpp"

#include <soundtouch/SoundTouch.h>

#include <algorithm>
#include <limits>
#include <type_traits>

// SoundTouch is built for one sample type; the filter hands it the chain's floats directly.
static_assert(std::is_same_v<soundtouch::SAMPLETYPE, float>, "libsoundtouch must be built with float samples");

namespace spence::engine {
namespace {

constexpr unsigned channels = 2;
constexpr unsigned sample_rate = 48000;
// Input is cleaned and handed over in slices of this many frames, which bounds the scratch buffer
// whatever the caller's block size (SoundTouch's output does not depend on how input is sliced).
constexpr std::size_t slice_frames = 4096;

}  // namespace

void validate(const timescale_settings& s) {
  require_range("speed", s.speed, timescale_filter::min_factor, timescale_filter::max_factor);
  require_range("pitch", s.pitch, timescale_filter::min_factor, timescale_filter::max_factor);
  require_range("rate", s.rate, timescale_filter::min_factor, timescale_filter::max_factor);
}

timescale_filter::timescale_filter(const timescale_settings& s)
    : stretch_((validate(s), std::make_unique<soundtouch::SoundTouch>())) {
  stretch_->setChannels(channels);
  stretch_->setSampleRate(sample_rate);
  stretch_->setTempo(s.speed);
  stretch_->setPitch(s.pitch);
  stretch_->setRate(s.rate);
  clean_.reserve(slice_frames * channels);
}

timescale_filter::~timescale_filter() = default;
timescale_filter::timescale_filter(timescale_filter&&) noexcept = default;
timescale_filter& timescale_filter::operator=(timescale_filter&&) noexcept = default;

void timescale_filter::put(std::span<const float> stereo) {
  const auto whole_frames = stereo.first(stereo.size() / channels * channels);
  for (std::size_t at = 0; at < whole_frames.size();) {
    const auto slice = whole_frames.subspan(at, std::min(slice_frames * channels, whole_frames.size() - at));
    clean_.resize(slice.size());
    std::ranges::transform(slice, clean_.begin(), finite_or_silence);
    stretch_->putSamples(clean_.data(), static_cast<unsigned>(slice.size() / channels));
    at += slice.size();
  }
}

std::size_t timescale_filter::take(std::span<float> stereo_out) {
  const std::size_t room = std::min<std::size_t>(stereo_out.size() / channels, std::numeric_limits<unsigned>::max());
  if (room == 0) return 0;
  const std::size_t frames = stretch_->receiveSamples(stereo_out.data(), static_cast<unsigned>(room));
  // Finite input near the float limit still overflows SoundTouch's overlap and correlation sums;
  // those samples leave as silence instead of reaching the encoder.
  const auto taken = stereo_out.first(frames * channels);
  std::ranges::transform(taken, taken.begin(), finite_or_silence);
  return frames;
}

void timescale_filter::flush() { stretch_->flush(); }

void timescale_filter::reset() { stretch_->clear(); }

}  // namespace spence::engine
