#include "app/demo_sample.hpp"

#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/opus_encoder.hpp"
#include "engine/opus_head.hpp"

#include <array>
#include <cmath>
#include <numbers>
#include <sstream>

namespace spence::app {

std::vector<std::uint8_t> demo_sample(double seconds) {
  constexpr int rate = engine::opus_encoder::sample_rate;
  constexpr int frame = engine::opus_encoder::frame_samples;
  constexpr int note_samples = rate / 4;
  // A major pentatonic arpeggio (A3 C#4 E4 F#4 A4 and back down), one note per quarter second.
  constexpr std::array<double, 8> notes{220.0, 277.18, 329.63, 369.99, 440.0, 369.99, 329.63, 277.18};

  engine::opus_encoder encoder({});
  auto head = engine::stereo_opus_head();
  head.pre_skip = static_cast<std::uint16_t>(encoder.lookahead());
  std::ostringstream out;
  {
    engine::ogg_opus_writer writer(out, head, 1, "spence demo");
    const int frames = std::max(1, static_cast<int>(std::lround(std::max(seconds, 0.25) * rate / frame)));
    std::vector<float> pcm(2 * frame);
    for (int f = 0; f < frames; ++f) {
      for (int i = 0; i < frame; ++i) {
        const int n = f * frame + i;
        const int in_note = n % note_samples;
        const double hz = notes[static_cast<std::size_t>(n / note_samples) % notes.size()];
        // A 10 ms attack and an exponential decay: no clicks between notes.
        const double envelope = std::min(1.0, in_note / (0.01 * rate)) * std::exp(-3.0 * in_note / note_samples);
        const double t = static_cast<double>(n) / rate;
        const auto v = static_cast<float>(0.25 * envelope * std::sin(2 * std::numbers::pi * hz * t));
        pcm[2 * i] = v;
        pcm[2 * i + 1] = v;
      }
      writer.write(encoder.encode(pcm));
    }
  }
  const auto bytes = out.str();
  return {bytes.begin(), bytes.end()};
}

}  // namespace spence::app
