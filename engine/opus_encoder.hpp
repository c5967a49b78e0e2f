#pragma once
// libopus encoding of 20 ms stereo frames at 48 kHz: what Discord's voice servers take.

#include <boost/describe/class.hpp>
#include <cstdint>
#include <span>
#include <vector>

struct OpusEncoder;

namespace spence::engine {

struct opus_encoder_settings {
  int bitrate = 128000;       // bits per second (libopus accepts 6000 to 510000)
  int complexity = 10;        // 0 (cheapest) to 10 (best)
  // In-band FEC only protects when the encoder expects loss; 5% costs little and covers the
  // occasional lost UDP packet.
  int expected_loss_percent = 5;
};
BOOST_DESCRIBE_STRUCT(opus_encoder_settings, (), (bitrate, complexity, expected_loss_percent))

class opus_encoder {
 public:
  static constexpr int sample_rate = 48000;
  static constexpr int channels = 2;
  static constexpr int frame_samples = 960;  // 20 ms
  // RFC 6716's largest packet for one 20 ms frame, times the framing overhead margin libopus uses.
  static constexpr int max_packet_bytes = 4000;

  // Throws media_error(codec) when libopus refuses the settings.
  explicit opus_encoder(const opus_encoder_settings& settings);
  ~opus_encoder();
  opus_encoder(const opus_encoder&) = delete;
  opus_encoder& operator=(const opus_encoder&) = delete;

  // Encodes frame_samples stereo frames (interleaved); returns the packet, valid until the next call.
  std::span<const std::uint8_t> encode(std::span<const float> stereo_frame);

  // Samples of delay the encoder adds (the Ogg pre-skip of its output).
  int lookahead() const;

  // Whether packets may depend on the ones before (inter-frame prediction). Disabled, each packet
  // decodes correctly after packets from another encoder: what a switch into a running stream needs.
  void set_prediction(bool enabled);
  // The packet loss the encoder protects against (0 to 100 %). Besides in-band FEC, expected loss
  // weakens CELT's pitch pre-filter, so a lossy setting codes tonal audio differently from a
  // source encoder that expects none.
  void set_expected_loss(int percent);

 private:
  OpusEncoder* encoder_ = nullptr;
  std::vector<std::uint8_t> packet_;
};

}  // namespace spence::engine
