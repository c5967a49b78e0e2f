#pragma once
// Media made in the test from real codecs: a sine as PCM at any rate, and as Opus packets encoded
// by libopus with chosen frame durations, behind the engine's source interfaces.

#include "engine/media_open.hpp"
#include "engine/opus_decoder.hpp"
#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/opus_demuxer.hpp"
#include "engine/pcm_source.hpp"

#include <opus/opus.h>

#include <cmath>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace spence::test {

inline float sine_sample(double hz, std::uint32_t rate, std::int64_t frame) {
  return 0.5f * static_cast<float>(std::sin(2 * std::numbers::pi * hz * static_cast<double>(frame) / rate));
}

// A stereo-or-more sine of a given length, the same tone on every channel.
class sine_source final : public engine::pcm_source {
 public:
  sine_source(std::uint32_t rate, std::uint16_t channels, std::int64_t frames, double hz = 440)
      : format_{rate, channels}, frames_(frames), hz_(hz) {}
  engine::pcm_format format() const override { return format_; }
  std::optional<std::int64_t> duration_frames() const override { return frames_; }
  engine::pcm_block read(std::size_t max_frames) override {
    const auto n = static_cast<std::size_t>(std::min<std::int64_t>(static_cast<std::int64_t>(max_frames), frames_ - at_));
    block_.resize(n * format_.channels);
    for (std::size_t f = 0; f < n; ++f)
      for (std::size_t ch = 0; ch < format_.channels; ++ch)
        block_[f * format_.channels + ch] = sine_sample(hz_, format_.sample_rate, at_ + static_cast<std::int64_t>(f));
    at_ += static_cast<std::int64_t>(n);
    return {block_, format_};
  }
  std::int64_t seek(std::int64_t frame) override { return at_ = std::clamp<std::int64_t>(frame, 0, frames_); }

 private:
  engine::pcm_format format_;
  std::int64_t frames_;
  double hz_;
  std::int64_t at_ = 0;
  std::vector<float> block_;
};

// A stereo 48 kHz sine encoded by libopus, one packet per entry of `durations` (in samples: 120 to
// 5760), handed out like a demuxer would.
class encoded_sine final : public engine::opus_demuxer {
 public:
  explicit encoded_sine(const std::vector<int>& durations, double hz = 440) {
    int error = 0;
    OpusEncoder* enc = opus_encoder_create(48000, 2, OPUS_APPLICATION_AUDIO, &error);
    if (error != OPUS_OK) throw std::runtime_error("opus_encoder_create");
    info_.head.channels = 2;
    info_.head.pre_skip = 312;
    info_.head.input_sample_rate = 48000;
    info_.codec_delay = 312;
    info_.seekable = true;
    std::int64_t t = 0;
    for (const int d : durations) {
      std::vector<float> pcm(static_cast<std::size_t>(d) * 2);
      for (int f = 0; f < d; ++f) pcm[2 * f] = pcm[2 * f + 1] = sine_sample(hz, 48000, t + f);
      std::vector<std::uint8_t> packet(4000);
      const int n = opus_encode_float(enc, pcm.data(), d, packet.data(), 4000);
      if (n < 0) throw std::runtime_error("opus_encode_float");
      packet.resize(static_cast<std::size_t>(n));
      packets_.push_back({std::move(packet), t});
      t += d;
    }
    info_.duration = t;
    opus_encoder_destroy(enc);
  }
  const engine::opus_stream_info& info() const override { return info_; }
  std::optional<engine::opus_packet> next() override {
    if (at_ == packets_.size()) return std::nullopt;
    const auto& p = packets_[at_++];
    return engine::opus_packet{p.bytes, p.timestamp, 0};
  }
  std::int64_t seek(std::int64_t timestamp) override {
    at_ = 0;
    while (at_ + 1 < packets_.size() && packets_[at_ + 1].timestamp <= timestamp) ++at_;
    return packets_[at_].timestamp;
  }
  std::vector<std::uint8_t> packet(std::size_t i) const { return packets_[i].bytes; }

 private:
  struct stored { std::vector<std::uint8_t> bytes; std::int64_t timestamp; };
  engine::opus_stream_info info_;
  std::vector<stored> packets_;
  std::size_t at_ = 0;
};

// The same sine as an Ogg Opus file in memory, `frames` packets of 20 ms.
inline std::vector<std::uint8_t> ogg_sine(std::size_t frames, double hz) {
  encoded_sine source(std::vector<int>(frames, 960), hz);
  std::ostringstream out;
  {
    engine::ogg_opus_writer writer(out, source.info().head, 7, "spence test");
    for (std::size_t i = 0; i < frames; ++i) writer.write(source.packet(i));
  }
  const auto text = out.str();
  return {text.begin(), text.end()};
}

// A demuxer as opened media, as open_media would hand it over.
inline engine::opened_media opus_media(std::unique_ptr<engine::opus_demuxer> demuxer) {
  engine::opened_media m;
  m.kind = engine::container::ogg;
  m.name = "synthetic.opus";
  m.opus = std::move(demuxer);
  return m;
}

// The left channel of stereo packets, decoded as one stream.
inline std::vector<float> decode_left(const std::vector<std::vector<std::uint8_t>>& packets) {
  engine::opus_head head;
  head.channels = 2;
  engine::opus_decoder decoder(head, "check");
  std::vector<float> left;
  for (const auto& p : packets) {
    const auto pcm = decoder.decode(p);
    for (std::size_t i = 0; i < pcm.size(); i += 2) left.push_back(pcm[i]);
  }
  return left;
}

}  // namespace spence::test
