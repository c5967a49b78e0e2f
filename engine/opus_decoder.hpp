#pragma once
// libopus decoding of one logical Opus stream (any OpusHead: mono, stereo or multichannel with a
// mapping table) to interleaved float at 48 kHz, in the head's channel order. Mono and stereo use
// libopus's single-stream decoder: its float path measured three times faster than the
// multistream decoder's for the same one-stream packets (spence bench pipeline).

#include "engine/opus_head.hpp"

#include <memory>
#include <span>
#include <string>
#include <vector>

struct OpusDecoder;
struct OpusMSDecoder;

namespace spence::engine {

class opus_decoder {
 public:
  // The longest packet duration Opus allows: 120 ms at 48 kHz.
  static constexpr int max_frame_samples = 5760;

  // Throws media_error(codec) naming source when libopus refuses the head.
  opus_decoder(const opus_head& head, std::string source);
  ~opus_decoder();
  opus_decoder(opus_decoder&&) noexcept;
  opus_decoder& operator=(opus_decoder&&) noexcept;

  // Decodes one packet; returns its samples (frames * channels), valid until the next call.
  // Throws media_error(codec) on a corrupt packet.
  std::span<const float> decode(std::span<const std::uint8_t> packet);
  // Clears the decoder's history (after a seek: the next packets are pre-roll).
  void reset();
  // Makes this decoder's state a copy of `other`'s, to try a packet without disturbing `other`.
  // Mapping family 0 with the same channel count on both sides; throws std::invalid_argument otherwise.
  void copy_state_from(const opus_decoder& other);

  int channels() const noexcept { return channels_; }

 private:
  OpusDecoder* single_ = nullptr;     // mapping family 0
  OpusMSDecoder* multiple_ = nullptr;  // mapping families 1 and 255
  int channels_ = 0;
  std::string source_;
  std::vector<float> output_;
};

}  // namespace spence::engine
