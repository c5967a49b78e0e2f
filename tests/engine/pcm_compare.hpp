#pragma once
// Reading a whole pcm_source, and comparing decoded audio with a reference decode.

#include "engine/pcm_source.hpp"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <span>
#include <vector>

namespace spence::test {

// A run of blocks that share one format.
struct pcm_segment {
  engine::pcm_format format;
  std::vector<float> samples;
  std::size_t frames() const { return format.channels ? samples.size() / format.channels : 0; }
};

// Everything the source yields from where it is, in max_frames reads, one segment per format run.
inline std::vector<pcm_segment> read_segments(engine::pcm_source& source, std::size_t max_frames = 1000) {
  std::vector<pcm_segment> segments;
  for (;;) {
    const engine::pcm_block block = source.read(max_frames);
    if (block.samples.empty()) return segments;
    if (segments.empty() || !(segments.back().format == block.format)) segments.push_back({block.format, {}});
    segments.back().samples.insert(segments.back().samples.end(), block.samples.begin(), block.samples.end());
  }
}

inline std::vector<float> read_all(engine::pcm_source& source, std::size_t max_frames = 1000) {
  std::vector<float> all;
  for (const pcm_segment& s : read_segments(source, max_frames)) all.insert(all.end(), s.samples.begin(), s.samples.end());
  return all;
}

// Raw little-endian 32-bit floats, as `ffmpeg -f f32le` writes them.
inline std::vector<float> read_f32(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  const std::vector<char> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  std::vector<float> out(bytes.size() / sizeof(float));
  std::memcpy(out.data(), bytes.data(), out.size() * sizeof(float));
  return out;
}

// Signal-to-noise ratio in dB of `decoded` against `reference` over their first `samples` samples;
// infinity when they are identical.
inline double snr_db(std::span<const float> decoded, std::span<const float> reference, std::size_t samples) {
  double signal = 0, noise = 0;
  for (std::size_t i = 0; i < samples; ++i) {
    signal += double(reference[i]) * reference[i];
    const double d = double(decoded[i]) - reference[i];
    noise += d * d;
  }
  if (noise == 0) return std::numeric_limits<double>::infinity();
  return 10 * std::log10(signal / noise);
}

}  // namespace spence::test
