#pragma once
// Encodes a stream of 20 ms stereo PCM frames into Opus packets, where the stream may take over
// from passed-through packets and hand back to them without a gap or a repeat.
//
// An encoder delays its input by `lookahead` samples. Taking over after packets, the encoder is
// primed with the audio of the last packet sent, from `lookahead` samples into it, and that first
// packet is dropped: each packet from then on decodes exactly to one pushed frame, which needs one
// frame more pushed than popped (pop() says when). Handing back, finish() encodes the remainder
// padded with silence, so the audio pushed ends exactly where the next passed-through packet begins.

#include "engine/opus_encoder.hpp"

#include <optional>
#include <span>
#include <vector>

namespace spence::engine {

class frame_encoder {
 public:
  static constexpr std::size_t frame_samples = opus_encoder::frame_samples;

  explicit frame_encoder(const opus_encoder_settings& settings);

  // Adds one frame (frame_samples interleaved stereo frames). `primer` is given with the first frame
  // after passed-through packets: the decoded audio of the last packet sent (see track_frame).
  void push(std::span<const float> pcm, std::span<const float> primer = {});
  // The next packet (valid until the next call), or nullopt until enough frames are in.
  std::optional<std::span<const std::uint8_t>> pop();
  // Call once pop() returned nullopt: encodes what is pushed but not yet in a packet, padded with
  // silence; nullopt when nothing is. The next push() starts a new run.
  std::optional<std::span<const std::uint8_t>> finish();
  // Whether pushed audio is waiting for finish() or more frames.
  bool holds_audio() const noexcept { return pending_.size() > start_; }

  int lookahead() const { return encoder_.lookahead(); }

 private:
  std::span<const std::uint8_t> encode_front();

  opus_encoder encoder_;
  std::vector<float> pending_;  // pushed, not yet encoded; pending_[start_..] is live
  std::size_t start_ = 0;
  int discard_packets_ = 0;  // the packet that only primed the encoder after a switch
  bool first_after_switch_ = false;
};

}  // namespace spence::engine
