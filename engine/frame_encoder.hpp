#pragma once
// Encodes a stream of 20 ms stereo PCM frames into Opus packets, where the stream may take over
// from passed-through packets and hand back to them without a gap or a repeat.
//
// An encoder delays its input by `lookahead` samples. Taking over after packets, the encoder is
// primed with the audio of the last packet sent, from `lookahead` samples into it, and that first
// packet is dropped: each packet from then on decodes exactly to one pushed frame, which needs one
// frame more pushed than popped (pop() says when). The stream ends with finish(), which encodes the
// remainder padded with silence.
//
// Handing back to the source's packets mid-audio is measured, not assumed: the receiver's decoder,
// fed our packets, is not in the state the source's next packet was coded against, and a careless
// switch is heard as a burst (+5 dB over 100 ms, CELT's inter-frame energy prediction decaying out).
// So during a hand-back the encoder keeps a model of the receiver's decoder (primed with the last
// packets sent, then fed each one; nothing is decoded while the encoder merely encodes) and goes on
// encoding the source's own decoded audio, each packet with the real audio after it as lookahead,
// until the model decodes the source's next packet within hand_back_error_db of what the source
// meant; only then does that packet go out and the run end. While handing back it expects no loss,
// so its pitch pre-filter runs as a typical source encoder's does and the states converge
// (measured: within two frames of the model being primed on a libopus source; a source coded very
// differently keeps being encoded, which sounds right and costs the encode).

#include "engine/opus_decoder.hpp"
#include "engine/opus_encoder.hpp"

#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace spence::engine {

class frame_encoder {
 public:
  static constexpr std::size_t frame_samples = opus_encoder::frame_samples;
  // The largest error (RMS of the difference, relative to the audio) at which the receiver may
  // decode the source's first packet after a hand-back. Measured on tones and noise: -20 dB gives a
  // level jump of 0.7 dB, -25 dB 0.2 dB.
  static constexpr double hand_back_error_db = -24;
  // Packets of a run the receiver model is primed with before it is trusted: 160 ms, after which a
  // decoder started afresh is within 43 dB of one that decoded the whole stream (measured for seeks,
  // see opus_decoding_source).
  static constexpr std::size_t receiver_settle_packets = 8;

  explicit frame_encoder(const opus_encoder_settings& settings);
  ~frame_encoder();

  // Adds one frame (frame_samples interleaved stereo frames). `primer` is given with the first frame
  // after passed-through packets: the decoded audio of the last packet sent (see track_frame).
  void push(std::span<const float> pcm, std::span<const float> primer = {});
  // The next packet (valid until the next call), or nullopt until enough frames are in.
  std::optional<std::span<const std::uint8_t>> pop();
  // Call once pop() returned nullopt: encodes what is pushed but not yet in a packet, padded with
  // silence; nullopt when nothing is. The next push() starts a new run.
  std::optional<std::span<const std::uint8_t>> finish();
  // Forgets what is pushed and not yet sent: the stream is abandoned rather than ended.
  void drop();
  // Handing back to the source's packets: pushes `pcm`, the decoded audio of the source's next
  // `packet`, and returns the packet to send now (as pop()). When the receiver would decode `packet`
  // as the source meant (see above), the run ends: the next pop() returns `packet` itself and the
  // caller passes the source's packets from the one after it.
  std::optional<std::span<const std::uint8_t>> push_handing_back(std::span<const float> pcm,
                                                                  std::span<const std::uint8_t> packet);
  // Whether pushed audio (or the source's packet ending a hand-back) is waiting to go out.
  bool holds_audio() const noexcept { return pending_.size() > start_ || hand_back_due_; }

  int lookahead() const { return encoder_.lookahead(); }

 private:
  std::span<const std::uint8_t> encode_front();
  void append(std::span<const float> pcm, std::span<const float> primer);
  // Feeds a packet handed out to the receiver model, or keeps it to prime the model later.
  void remember(std::span<const std::uint8_t> packet);
  // Whether the receiver model decodes `packet` to within hand_back_error_db of `pcm`.
  bool receiver_would_match(std::span<const std::uint8_t> packet, std::span<const float> pcm);

  int expected_loss_percent_;
  opus_encoder encoder_;
  // The receiver's decoder as this encoder's packets left it, and a copy that tries the source's
  // next packet; made at the first hand-back (two decoders are most of an idle encoder's memory).
  struct receiver_model;
  std::unique_ptr<receiver_model> receiver_;
  bool receiver_live_ = false;  // receiver_ is fed every packet handed out, as the receiver's is
  std::deque<std::vector<std::uint8_t>> recent_;  // the run's latest packets, to prime receiver_
  bool handing_back_ = false;  // loss protection is off until the next push()
  std::vector<std::uint8_t> hand_back_packet_;  // the source's, ending the run
  bool hand_back_due_ = false;                  // hand_back_packet_ is the next pop()
  std::vector<float> pending_;  // pushed, not yet encoded; pending_[start_..] is live
  std::size_t start_ = 0;
  int discard_packets_ = 0;  // the packet that only primed the encoder after a switch
  bool first_after_switch_ = false;
};

}  // namespace spence::engine
