// `spence bench pipeline`: the audio path's cost against the codecs' own.
//   passthrough      Ogg Opus (48 kHz, 20 ms) through the frame pipeline untouched
//   opus_transcode   the same file decoded and re-encoded by the pipeline
//   mp3_transcode    44.1 kHz MP3 decoded, resampled and encoded by the pipeline
//   raw ceilings     the same decode (+ resample) + encode written as straight libopus /
//                    libmpg123 / libsamplerate calls, with no engine code in between
//   resamplers       each libsamplerate quality: CPU per second of audio and the SNR of a
//                    resampled 10 kHz tone, to choose the default
// Figures are real-time factors per core: seconds of audio per second of this thread's CPU time.
// Inputs are made once with sox and ffmpeg (installed by scripts/install-deps) in --media-dir.

#include "app/bench/bench_media.hpp"
#include "app/commands.hpp"

#include "engine/frame_pipeline.hpp"
#include "engine/memory_source.hpp"
#include "engine/resampler.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <mpg123.h>
#include <opus/opus.h>
#include <samplerate.h>

#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <numbers>
#include <stdexcept>

namespace spence::app {
namespace {

namespace json = boost::json;
using namespace bench;

engine::opened_media open_memory(const std::vector<std::uint8_t>& bytes, const char* name) {
  return engine::open_media(std::make_unique<engine::memory_source>(bytes, name));
}

void drain(engine::frame_pipeline& pipeline) {
  while (pipeline.next()) {
  }
}

// Straight libmpg123 (feed mode, float), libsamplerate and libopus. Returns the bytes encoded.
std::size_t raw_mp3(const std::vector<std::uint8_t>& mp3, const engine::opus_encoder_settings& s, int converter) {
  mpg123_handle* mh = mpg123_new(nullptr, nullptr);
  mpg123_param(mh, MPG123_ADD_FLAGS, MPG123_FORCE_FLOAT | MPG123_QUIET, 0);
  mpg123_open_feed(mh);
  mpg123_feed(mh, mp3.data(), mp3.size());
  int error = 0;
  SRC_STATE* src = src_new(converter, 2, &error);
  OpusEncoder* enc = make_raw_encoder(s);
  std::vector<float> decoded(1152 * 2 * 4), resampled(1152 * 2 * 4 + 8192), pending;
  std::vector<std::uint8_t> out(4000);
  std::size_t encoded = 0;
  for (;;) {
    size_t bytes = 0;
    const int r = mpg123_read(mh, reinterpret_cast<unsigned char*>(decoded.data()), decoded.size() * sizeof(float), &bytes);
    if (r == MPG123_NEW_FORMAT) continue;
    if (bytes == 0 && r != MPG123_OK) break;
    SRC_DATA data{};
    data.data_in = decoded.data();
    data.input_frames = static_cast<long>(bytes / sizeof(float) / 2);
    data.data_out = resampled.data();
    data.output_frames = static_cast<long>(resampled.size() / 2);
    data.src_ratio = 48000.0 / 44100.0;
    src_process(src, &data);
    pending.insert(pending.end(), resampled.begin(), resampled.begin() + data.output_frames_gen * 2);
    std::size_t at = 0;
    for (; at + 1920 <= pending.size(); at += 1920)
      encoded += static_cast<std::size_t>(opus_encode_float(enc, pending.data() + at, 960, out.data(), 4000));
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(at));
  }
  opus_encoder_destroy(enc);
  src_delete(src);
  mpg123_delete(mh);
  return encoded;
}

// Resampling cost and fidelity of one quality: a 10 kHz tone at 44.1 kHz against the exact tone at
// 48 kHz (after the filter's start-up), and CPU per audio second.
json::object measure_resampler(engine::resampler_quality quality) {
  constexpr double hz = 10000;
  std::vector<float> in(44100 * 2 * 2);
  for (std::size_t f = 0; f < in.size() / 2; ++f)
    in[2 * f] = in[2 * f + 1] = 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * f / 44100));
  std::vector<float> out;
  const double rtf = realtime_factor(2.0, 0.3, [&] {
    engine::resampler r(44100, 48000, quality, "bench");
    const auto a = r.process(in);
    out.assign(a.begin(), a.end());
    const auto b = r.process({}, true);
    out.insert(out.end(), b.begin(), b.end());
  });
  double signal = 0, noise = 0;
  for (std::size_t f = 4800; f < std::min<std::size_t>(out.size() / 2, 91200); ++f) {
    const double want = 0.5 * std::sin(2 * std::numbers::pi * hz * f / 48000);
    signal += want * want;
    noise += (out[2 * f] - want) * (out[2 * f] - want);
  }
  return {{"quality", std::string(engine::resampler_quality_name(quality))},
          {"realtime_factor", rtf},
          {"snr_db_10khz", 10 * std::log10(signal / noise)}};
}

}  // namespace

int run_pipeline_bench(const pipeline_bench_options& options) {
  make_inputs(options.media_dir);
  const auto opus_file = slurp(options.media_dir / "music.opus");
  const auto mp3_file = slurp(options.media_dir / "music44.mp3");
  const double min_cpu = options.seconds;
  const engine::pipeline_settings defaults;

  engine::pipeline_settings transcode = defaults;
  transcode.passthrough = engine::passthrough_policy::never;

  const double passthrough = realtime_factor(audio_seconds, min_cpu, [&] {
    engine::frame_pipeline p(open_memory(opus_file, "music.opus"), defaults);
    drain(p);
  });
  const double opus_pipeline = realtime_factor(audio_seconds, min_cpu, [&] {
    engine::frame_pipeline p(open_memory(opus_file, "music.opus"), transcode);
    drain(p);
  });
  std::vector<std::vector<std::uint8_t>> packets;
  {
    auto media = open_memory(opus_file, "music.opus");
    while (const auto p = media.opus->next()) packets.emplace_back(p->data.begin(), p->data.end());
  }
  std::size_t raw_bytes = 0;  // read after the runs so the raw loops' output counts as used
  const double opus_raw = realtime_factor(audio_seconds, min_cpu, [&] { raw_bytes += raw_opus(packets, defaults.encoder); });
  const double mp3_pipeline = realtime_factor(audio_seconds, min_cpu, [&] {
    engine::frame_pipeline p(open_memory(mp3_file, "music44.mp3"), defaults);
    drain(p);
  });
  const int converter = engine::libsamplerate_converter(defaults.resampling);
  const double mp3_raw = realtime_factor(audio_seconds, min_cpu, [&] { raw_bytes += raw_mp3(mp3_file, defaults.encoder, converter); });
  if (raw_bytes == 0) throw std::runtime_error("the raw codec loops produced nothing");

  json::array resamplers;
  for (auto q : {engine::resampler_quality::best, engine::resampler_quality::medium, engine::resampler_quality::fastest,
                 engine::resampler_quality::linear})
    resamplers.push_back(measure_resampler(q));

  const auto overhead = [](double pipeline, double raw) { return raw / pipeline - 1.0; };
  json::object report{
      {"audio_seconds", audio_seconds},
      {"passthrough", {{"realtime_factor", passthrough}}},
      {"opus_transcode",
       {{"realtime_factor", opus_pipeline}, {"raw_realtime_factor", opus_raw}, {"pipeline_overhead", overhead(opus_pipeline, opus_raw)}}},
      {"mp3_transcode",
       {{"realtime_factor", mp3_pipeline}, {"raw_realtime_factor", mp3_raw}, {"pipeline_overhead", overhead(mp3_pipeline, mp3_raw)}}},
      {"passthrough_speedup_over_transcode", passthrough / opus_pipeline},
      {"default_resampler", std::string(engine::resampler_quality_name(defaults.resampling))},
      {"resamplers", resamplers}};
  if (options.json) {
    fmt::print("{}\n", json::serialize(report));
    return 0;
  }
  fmt::print("passthrough        {:>10.0f}x real time per core\n", passthrough);
  fmt::print("opus -> opus       {:>10.1f}x (raw libopus {:.1f}x, pipeline +{:.1f}%)\n", opus_pipeline, opus_raw,
             100 * overhead(opus_pipeline, opus_raw));
  fmt::print("mp3 44.1k -> opus  {:>10.1f}x (raw {:.1f}x, pipeline +{:.1f}%)\n", mp3_pipeline, mp3_raw,
             100 * overhead(mp3_pipeline, mp3_raw));
  fmt::print("passthrough is {:.0f}x faster than transcoding\n", passthrough / opus_pipeline);
  for (const auto& r : resamplers) fmt::print("resampler {}\n", json::serialize(r));
  return 0;
}

}  // namespace spence::app
