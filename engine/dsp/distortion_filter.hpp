#pragma once
// Lavalink's distortion, a memoryless waveshaper applied to every sample x:
//   clamp(offset + scale * (sinOffset + sin(x*sinScale)) * (cosOffset + cos(x*cosScale))
//                        * (tanOffset + tan(x*tanScale)), -1, 1)
//
// Lavalink's defaults do not make that the identity: they give sin(x)cos(x)tan(x) = sin^2(x). Lavalink
// therefore counts distortion as enabled only when some field differs from its default, and never
// builds it otherwise; this filter likewise leaves the signal untouched at the defaults.

#include <boost/describe/class.hpp>
#include <span>

namespace spence::engine {

struct distortion_settings {
  float sin_offset = 0.0f;  // JSON "sinOffset", and so on for each field
  float sin_scale = 1.0f;
  float cos_offset = 0.0f;
  float cos_scale = 1.0f;
  float tan_offset = 0.0f;
  float tan_scale = 1.0f;
  float offset = 0.0f;
  float scale = 1.0f;

  bool enabled() const noexcept;
};
BOOST_DESCRIBE_STRUCT(distortion_settings, (), (sin_offset, sin_scale, cos_offset, cos_scale, tan_offset, tan_scale, offset, scale))

// Every field must be finite (Lavalink documents no other bound).
void validate(const distortion_settings& settings);

class distortion_filter {
 public:
  explicit distortion_filter(const distortion_settings& settings);

  void process(std::span<float> stereo);
  // Nothing to clear (the shaper keeps no history); there for the common filter interface.
  void reset() {}

 private:
  distortion_settings settings_;
  bool enabled_;
};

}  // namespace spence::engine
