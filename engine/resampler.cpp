#include "engine/resampler.hpp"

#include "engine/media_error.hpp"

#include <samplerate.h>

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace spence::engine {
int libsamplerate_converter(resampler_quality q) noexcept {
  switch (q) {
    case resampler_quality::best: return SRC_SINC_BEST_QUALITY;
    case resampler_quality::medium: return SRC_SINC_MEDIUM_QUALITY;
    case resampler_quality::fastest: return SRC_SINC_FASTEST;
    case resampler_quality::linear: return SRC_LINEAR;
  }
  return SRC_SINC_FASTEST;
}

resampler_quality parse_resampler_quality(std::string_view text) {
  for (auto q : {resampler_quality::best, resampler_quality::medium, resampler_quality::fastest, resampler_quality::linear})
    if (text == resampler_quality_name(q)) return q;
  throw std::invalid_argument(fmt::format("resampler quality '{}': expected best, medium, fastest or linear", text));
}

std::string_view resampler_quality_name(resampler_quality q) noexcept {
  switch (q) {
    case resampler_quality::best: return "best";
    case resampler_quality::medium: return "medium";
    case resampler_quality::fastest: return "fastest";
    case resampler_quality::linear: return "linear";
  }
  return "fastest";
}

resampler::resampler(std::uint32_t input_rate, std::uint32_t output_rate, resampler_quality quality, std::string source)
    : ratio_(static_cast<double>(output_rate) / input_rate), source_(std::move(source)) {
  int error = 0;
  if (input_rate == 0 || !src_is_valid_ratio(ratio_))
    throw media_error(media_errc::codec, source_, fmt::format("cannot resample {} Hz to {} Hz", input_rate, output_rate));
  state_ = src_new(libsamplerate_converter(quality), 2, &error);
  if (state_ == nullptr) throw media_error(media_errc::codec, source_, fmt::format("libsamplerate: {}", src_strerror(error)));
}

resampler::~resampler() { src_delete(state_); }

std::span<const float> resampler::process(std::span<const float> stereo_in, bool end_of_input) {
  const long in_frames = static_cast<long>(stereo_in.size() / 2);
  // Room for this block's output plus what the filter held back; the loop covers any remainder.
  const std::size_t room = static_cast<std::size_t>(std::ceil(in_frames * ratio_)) + 4096;
  output_.resize(room * 2);
  std::size_t produced = 0;
  SRC_DATA data{};
  data.data_in = stereo_in.data();
  data.input_frames = in_frames;
  data.src_ratio = ratio_;
  data.end_of_input = end_of_input ? 1 : 0;
  for (;;) {
    data.data_out = output_.data() + produced * 2;
    data.output_frames = static_cast<long>(output_.size() / 2 - produced);
    if (const int error = src_process(state_, &data); error != 0)
      throw media_error(media_errc::codec, source_, fmt::format("libsamplerate: {}", src_strerror(error)));
    produced += static_cast<std::size_t>(data.output_frames_gen);
    data.data_in += data.input_frames_used * 2;
    data.input_frames -= data.input_frames_used;
    const bool drained = data.input_frames == 0 && (!end_of_input || data.output_frames_gen == 0);
    const bool stuck = data.input_frames_used == 0 && data.output_frames_gen == 0 && produced * 2 < output_.size();
    if (drained || stuck) break;
    if (produced * 2 == output_.size()) output_.resize(output_.size() * 2);
  }
  return std::span<const float>(output_).first(produced * 2);
}

}  // namespace spence::engine
