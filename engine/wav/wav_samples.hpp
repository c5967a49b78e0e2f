#pragma once
// WAVE sample bytes (little-endian) to float in [-1, 1], with exact, documented scaling:
//   8-bit unsigned:  (b - 128) / 128
//   16-bit signed:   v / 32768
//   24-bit signed:   v / 8388608
//   32-bit signed:   float(v) / 2147483648  (v rounded to float's 24-bit mantissa first)
//   32-bit float:    v, clamped to [-1, 1]
//   64-bit float:    v rounded to float, clamped to [-1, 1]
// Integers divide by a power of two, so -full scale is exactly -1 and +full scale one step below 1:
// the same mapping as ffmpeg's and libsndfile's. Float files may carry values beyond full scale or
// NaN; they are clamped (NaN to 0) so that everything downstream can trust the range.

#include "engine/wav/wav_format.hpp"

#include <span>

namespace spence::engine {

// Converts bytes.size() / wav_sample_bytes(type) samples into out, which must hold that many.
void convert_wav_samples(wav_sample_type type, std::span<const std::uint8_t> bytes, std::span<float> out);

}  // namespace spence::engine
