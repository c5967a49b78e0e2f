#pragma once
// Decrypts one sender's DAVE frames (whitepaper "Encoded Frame Transforms", receive side; libdave's
// Decryptor). The session installs a receive ratchet for the sender at each commit or welcome it
// processes; the ratchets of earlier epochs keep decrypting for 10 s after a newer one arrives
// (frames in flight across the transition) and are tried after it, newest first.
//
// What passes without decryption:
//   - the Opus silence frame F8 FF FE, always: the SFU synthesizes it and cannot encrypt;
//   - a frame that fails the protocol frame check, only while passthrough is allowed (DAVE off, or
//     an upgrade or downgrade under way).
// Anything else is refused with a reason (frame_rejection) and counted.
//
// Not thread-safe: one receive path drives it. Time is an argument (a steady clock's now).

#include "net/dave/frame_rejection.hpp"
#include "net/dave/key_ratchet.hpp"
#include "net/dave/mls/bytes.hpp"
#include "net/dave/protocol_frame.hpp"
#include "net/dave/receive_ratchet.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <deque>
#include <span>

namespace spence::net::dave {

struct frame_decryptor_counters {
  std::uint64_t decrypted = 0;
  std::uint64_t silence = 0;         // F8 FF FE passed as it is
  std::uint64_t passed_through = 0;  // non-protocol frames while passthrough was allowed
  frame_rejection_counts rejected{};
};

class frame_decryptor {
 public:
  // The sender's ratchet for a new epoch. Ratchets already here expire `old_ones_expire_after`
  // from now.
  void transition_to_key_ratchet(key_ratchet ratchet, frame_time now,
                                 frame_clock::duration old_ones_expire_after = ratchet_expiry);
  // Passthrough on: non-protocol frames pass until it is turned off. Off: they pass for
  // `expire_after` more (frames sent before the peers switched), then are refused.
  void transition_to_passthrough(bool passthrough, frame_time now,
                                 frame_clock::duration expire_after = ratchet_expiry);

  // The frame to play: `frame` itself (silence, passthrough) or its plaintext written into `out`;
  // or why it was refused.
  boost::system::result<std::span<const std::uint8_t>, frame_rejection> decrypt(mls::bytes_view frame, mls::bytes& out,
                                                                                frame_time now);

  const frame_decryptor_counters& counters() const noexcept { return counters_; }

 private:
  frame_rejection refuse(frame_rejection reason);
  // Splits the media into additional data and ciphertext along the unencrypted ranges, and puts
  // the plaintext back between them.
  void gather(const protocol_frame& frame);
  void interleave(const protocol_frame& frame, mls::bytes& out) const;

  std::deque<receive_ratchet> ratchets_;  // oldest first
  frame_time passthrough_until_ = frame_time::min();
  frame_decryptor_counters counters_;
  // Reused across frames with unencrypted ranges (never Opus's).
  mls::bytes aad_;
  mls::bytes ciphertext_;
  mls::bytes plaintext_;
};

}  // namespace spence::net::dave
