#pragma once
// What the codec benchmarks share: generated inputs, CPU-time real-time factors, and the codecs'
// own cost as straight libopus calls (the ceiling the engine is compared with).

#include "engine/opus_encoder.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <vector>

namespace spence::app::bench {

// Seconds of audio in each generated input.
inline constexpr int audio_seconds = 30;

// Makes the inputs in `dir` once (sox and ffmpeg): music48.wav, music44.wav, music.opus (Ogg Opus,
// 128 kbit/s, 20 ms frames) and music44.mp3: pink noise under an amplitude-modulated tone.
void make_inputs(const std::filesystem::path& dir);
std::vector<std::uint8_t> slurp(const std::filesystem::path& path);

double thread_cpu_seconds();
// Runs `once` (which processes `seconds` of audio) until at least min_cpu seconds of CPU were
// spent; returns seconds of audio per CPU second.
double realtime_factor(double seconds, double min_cpu, const std::function<void()>& once);

// Straight libopus: decodes each 20 ms packet and encodes it again. Returns the bytes encoded.
std::size_t raw_opus(const std::vector<std::vector<std::uint8_t>>& packets, const engine::opus_encoder_settings& s);
// A libopus encoder set up as engine::opus_encoder sets its own up.
struct OpusEncoder* make_raw_encoder(const engine::opus_encoder_settings& s);

}  // namespace spence::app::bench
