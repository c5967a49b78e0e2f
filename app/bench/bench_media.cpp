#include "app/bench/bench_media.hpp"

#include <fmt/format.h>
#include <opus/opus.h>

#include <ctime>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace spence::app::bench {

namespace fs = std::filesystem;

double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

// Runs `once` (which processes `seconds` of audio) until at least min_cpu seconds of CPU were
// spent; returns seconds of audio per CPU second.
double realtime_factor(double seconds, double min_cpu, const std::function<void()>& once) {
  const double start = thread_cpu_seconds();
  int runs = 0;
  do {
    once();
    ++runs;
  } while (thread_cpu_seconds() - start < min_cpu);
  return seconds * runs / (thread_cpu_seconds() - start);
}

std::vector<std::uint8_t> slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void make_inputs(const fs::path& dir) {
  if (fs::exists(dir / "music.opus") && fs::exists(dir / "music44.mp3")) return;
  fs::create_directories(dir);
  const std::string d = dir.string();
  // Pink noise under an amplitude-modulated tone: broadband, never silent, so the codecs work as
  // hard as on music.
  const std::string commands = fmt::format(
      "set -e; cd '{0}'; "
      "sox -n -r 48000 -b 16 -c 2 music48.wav synth {1} pinknoise synth {1} sine amod 2 60 vol 0.5; "
      "sox music48.wav -r 44100 music44.wav; "
      "ffmpeg -nostdin -loglevel error -y -i music48.wav -c:a libopus -b:a 128k -frame_duration 20 music.opus; "
      "ffmpeg -nostdin -loglevel error -y -i music44.wav -c:a libmp3lame -b:a 192k music44.mp3",
      d, audio_seconds);
  if (std::system(commands.c_str()) != 0)
    throw std::runtime_error("making the benchmark inputs failed (are sox and ffmpeg installed?)");
}

OpusEncoder* make_raw_encoder(const engine::opus_encoder_settings& s) {
  int error = 0;
  OpusEncoder* enc = opus_encoder_create(48000, 2, OPUS_APPLICATION_AUDIO, &error);
  opus_encoder_ctl(enc, OPUS_SET_BITRATE(s.bitrate));
  opus_encoder_ctl(enc, OPUS_SET_COMPLEXITY(s.complexity));
  opus_encoder_ctl(enc, OPUS_SET_INBAND_FEC(1));
  opus_encoder_ctl(enc, OPUS_SET_PACKET_LOSS_PERC(s.expected_loss_percent));
  return enc;
}

// Straight libopus: decode each 20 ms packet, encode it again. Returns the bytes encoded.
std::size_t raw_opus(const std::vector<std::vector<std::uint8_t>>& packets, const engine::opus_encoder_settings& s) {
  int error = 0;
  OpusDecoder* dec = opus_decoder_create(48000, 2, &error);
  OpusEncoder* enc = make_raw_encoder(s);
  std::vector<float> pcm(5760 * 2);
  std::vector<std::uint8_t> out(4000);
  std::size_t encoded = 0;
  for (const auto& p : packets) {
    const int n = opus_decode_float(dec, p.data(), static_cast<opus_int32>(p.size()), pcm.data(), 5760, 0);
    for (int at = 0; at + 960 <= n; at += 960)
      encoded += static_cast<std::size_t>(opus_encode_float(enc, pcm.data() + at * 2, 960, out.data(), 4000));
  }
  opus_encoder_destroy(enc);
  opus_decoder_destroy(dec);
  return encoded;
}

}  // namespace spence::app::bench
