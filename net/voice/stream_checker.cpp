#include "net/voice/stream_checker.hpp"

#include "engine/media_error.hpp"
#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/opus_decoder.hpp"
#include "engine/opus_head.hpp"
#include "net/voice/rtp_packetizer.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

namespace spence::net {
namespace {

constexpr double samples_per_ms = 48.0;

}  // namespace

struct stream_checker::stream {
  explicit stream(std::uint32_t ssrc) : decoder(engine::stereo_opus_head(), "ssrc " + std::to_string(ssrc)) { stats.ssrc = ssrc; }

  stream_stats stats;
  engine::opus_decoder decoder;
  engine::lateness_histogram spacing_error;
  bool started = false;
  std::uint16_t last_sequence = 0;
  std::uint32_t last_timestamp = 0;
  clock::time_point last_arrival{};
  double jitter_samples = 0;
  std::ofstream file;
  std::unique_ptr<engine::ogg_opus_writer> writer;
};

stream_checker::stream_checker(std::optional<std::filesystem::path> ogg_dir, bool decode_audio)
    : ogg_dir_(std::move(ogg_dir)), decode_audio_(decode_audio) {}

stream_checker::~stream_checker() { finish(); }

stream_checker::stream& stream_checker::stream_of(std::uint32_t ssrc) {
  auto& s = streams_[ssrc];
  if (!s) {
    s = std::make_unique<stream>(ssrc);
    if (ogg_dir_) {
      s->file.open(*ogg_dir_ / (std::to_string(ssrc) + ".ogg"), std::ios::binary);
      // The SSRC as the Ogg serial: one logical stream per voice stream.
      if (s->file) s->writer = std::make_unique<engine::ogg_opus_writer>(s->file, engine::stereo_opus_head(), ssrc, "spence emulator");
    }
  }
  return *s;
}

void stream_checker::add(const rtp_header& header, std::span<const std::uint8_t> opus, bool end_to_end_encrypted,
                         clock::time_point arrival) {
  auto& s = stream_of(header.ssrc);
  if (s.started) {
    const auto step = static_cast<std::int16_t>(static_cast<std::uint16_t>(header.sequence - s.last_sequence));
    if (step == 0) {
      ++s.stats.duplicates;
      return;
    }
    if (step < 0) {
      ++s.stats.late;
      return;
    }
    s.stats.lost += static_cast<std::uint64_t>(step - 1);
    const std::uint32_t timestamp_step = header.timestamp - s.last_timestamp;
    if (timestamp_step != rtp_timestamp_per_frame * static_cast<std::uint32_t>(step)) ++s.stats.timestamp_jumps;
    // RFC 3550 6.4.1: D = (arrival spacing - timestamp spacing), J += (|D| - J) / 16, in samples.
    const double arrival_samples =
        std::chrono::duration<double, std::milli>(arrival - s.last_arrival).count() * samples_per_ms;
    const double d = std::abs(arrival_samples - static_cast<double>(timestamp_step));
    s.jitter_samples += (d - s.jitter_samples) / 16.0;
    s.spacing_error.record(std::chrono::nanoseconds(static_cast<std::int64_t>(d / samples_per_ms * 1e6)));
  }
  s.started = true;
  s.last_sequence = header.sequence;
  s.last_timestamp = header.timestamp;
  s.last_arrival = arrival;
  ++s.stats.packets;
  if (std::equal(opus.begin(), opus.end(), opus_silence_frame.begin(), opus_silence_frame.end())) {
    ++s.stats.silence_frames;  // DAVE leaves it in the clear
  } else if (end_to_end_encrypted) {
    ++s.stats.end_to_end_encrypted;
    return;
  }
  try {
    if (decode_audio_) s.decoder.decode(opus);
    if (s.writer) s.writer->write(opus);
  } catch (const engine::media_error&) {
    ++s.stats.decode_errors;
  }
}

std::vector<stream_stats> stream_checker::stats() const {
  std::vector<stream_stats> out;
  for (const auto& [ssrc, s] : streams_) {
    auto st = s->stats;
    st.jitter_ms = s->jitter_samples / samples_per_ms;
    st.spacing_error = s->spacing_error.summarize();
    out.push_back(st);
  }
  std::sort(out.begin(), out.end(), [](const stream_stats& a, const stream_stats& b) { return a.ssrc < b.ssrc; });
  return out;
}

void stream_checker::finish() {
  for (auto& [ssrc, s] : streams_) {
    if (!s->writer) continue;
    try {
      s->writer->finish();
    } catch (const engine::media_error&) {
      // The file is what it is; the stats still say what arrived.
    }
    s->writer.reset();
    s->file.close();
  }
}

}  // namespace spence::net
