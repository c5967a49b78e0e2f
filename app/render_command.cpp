// `spence render`: plays a source through the frame pipeline as fast as the machine allows and
// writes the 20 ms Opus packets to an Ogg file. It prints what went through (passthrough or
// transcoded frames), the real-time factor and a digest of the packet stream, so two renders of
// the same source from the same start can be compared byte for byte.

#include "app/commands.hpp"
#include "app/media_source.hpp"

#include "engine/frame_pipeline.hpp"
#include "engine/media_error.hpp"
#include "engine/ogg/ogg_opus_writer.hpp"

#include "actors/digest.hpp"

#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <chrono>
#include <cmath>
#include <fstream>

namespace spence::app {
namespace {

// A fixed serial keeps the Ogg output identical across runs (RFC 3533 only asks for uniqueness
// within one physical stream).
constexpr std::uint32_t ogg_serial = 0x5350454E;  // "SPEN"

// The digest covers each packet's length (2 bytes, big-endian) and bytes, so packet boundaries
// count as well as content.
void add_packet(actors::sha256& digest, std::span<const std::uint8_t> packet) {
  const std::uint8_t length[2] = {static_cast<std::uint8_t>(packet.size() >> 8), static_cast<std::uint8_t>(packet.size())};
  digest.add(std::as_bytes(std::span(length)));
  digest.add(std::as_bytes(packet));
}

}  // namespace

int run_render(const render_options& options) {
  const auto started = std::chrono::steady_clock::now();
  try {
    engine::pipeline_settings settings;
    settings.start_sample = std::llround(options.start_seconds * 48000);
    settings.volume = static_cast<float>(options.volume);
    settings.passthrough = options.passthrough ? engine::passthrough_policy::automatic : engine::passthrough_policy::never;
    settings.encoder.bitrate = options.bitrate;
    settings.encoder.complexity = options.complexity;
    settings.resampling = options.resampling;

    open_source opened = open_media_source(options.source);
    engine::frame_pipeline pipeline(std::move(opened.media), settings);

    std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
    if (!file) throw engine::media_error(engine::media_errc::io, options.output.string(), "cannot open for writing");
    engine::ogg_opus_writer writer(file, pipeline.output_head(), ogg_serial, "spence");

    const std::uint64_t frame_limit = options.duration_seconds > 0
                                          ? static_cast<std::uint64_t>(std::ceil(options.duration_seconds * 50))
                                          : UINT64_MAX;
    actors::sha256 digest;
    std::uint64_t frames = 0;
    while (frames < frame_limit) {
      const auto packet = pipeline.next();
      if (!packet) break;
      writer.write(*packet);
      add_packet(digest, *packet);
      ++frames;
    }
    writer.finish();
    file.close();
    if (!file) throw engine::media_error(engine::media_errc::io, options.output.string(), "write failed");

    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double audio = static_cast<double>(frames) * 0.02;
    const char* mode = pipeline.transcoded_frames() == 0   ? "passthrough"
                       : pipeline.passthrough_frames() == 0 ? "transcode"
                                                            : "passthrough, then transcode";
    const std::string hex = digest.finish_hex();
    if (options.json) {
      boost::json::object report{{"source", pipeline.source_name()},
                                 {"output", options.output.string()},
                                 {"frames", frames},
                                 {"passthrough_frames", pipeline.passthrough_frames()},
                                 {"transcoded_frames", pipeline.transcoded_frames()},
                                 {"mode", mode},
                                 {"audio_seconds", audio},
                                 {"wall_seconds", wall},
                                 {"realtime_factor", wall > 0 ? audio / wall : 0.0},
                                 {"sha256", hex}};
      fmt::print("{}\n", boost::json::serialize(report));
    } else {
      fmt::print("source: {}\noutput: {}\nframes: {} ({} passthrough, {} transcoded)\nmode: {}\n"
                 "audio: {:.2f} s in {:.3f} s (real-time factor {:.0f})\nsha256: {}\n",
                 pipeline.source_name(), options.output.string(), frames, pipeline.passthrough_frames(),
                 pipeline.transcoded_frames(), mode, audio, wall, wall > 0 ? audio / wall : 0.0, hex);
    }
    return 0;
  } catch (const engine::media_error& e) {
    fmt::print(stderr, "render: {}\n", e.what());
    return 1;
  }
}

}  // namespace spence::app
