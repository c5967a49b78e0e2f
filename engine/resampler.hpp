#pragma once
// Stereo sample-rate conversion to 48 kHz with libsamplerate.

#include <boost/describe/enum.hpp>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

typedef struct SRC_STATE_tag SRC_STATE;

namespace spence::engine {

// libsamplerate's sinc converters, from the most faithful to the cheapest, and linear
// interpolation for when CPU matters more than aliasing. docs/performance.md has the measured cost
// of each; the default is chosen there.
enum class resampler_quality { best, medium, fastest, linear };
BOOST_DESCRIBE_ENUM(resampler_quality, best, medium, fastest, linear)
inline constexpr resampler_quality default_resampler_quality = resampler_quality::fastest;

// Parses "best", "medium", "fastest" or "linear"; throws std::invalid_argument naming the choices.
resampler_quality parse_resampler_quality(std::string_view text);
std::string_view resampler_quality_name(resampler_quality q) noexcept;
// libsamplerate's converter constant for a quality (SRC_SINC_FASTEST, ...).
int libsamplerate_converter(resampler_quality q) noexcept;

class resampler {
 public:
  // Throws media_error(codec) naming source when libsamplerate refuses the rates.
  resampler(std::uint32_t input_rate, std::uint32_t output_rate, resampler_quality quality, std::string source);
  ~resampler();
  resampler(const resampler&) = delete;
  resampler& operator=(const resampler&) = delete;

  // Converts interleaved stereo frames; returns the frames produced (valid until the next call).
  // With end_of_input, also returns what the filter still holds.
  std::span<const float> process(std::span<const float> stereo_in, bool end_of_input = false);

 private:
  SRC_STATE* state_ = nullptr;
  double ratio_;
  std::string source_;
  std::vector<float> output_;
};

}  // namespace spence::engine
