#pragma once
// Encrypts the bot's own Opus frames for DAVE (whitepaper "Encoded Frame Transforms", send side;
// libdave's Encryptor), as the voice sink's frame_encryptor: each frame becomes
//   ciphertext (the frame's length) | 8-byte tag | ULEB128 nonce | size byte | FA FA
// Opus frames are encrypted whole: no unencrypted ranges, no additional data.
//
// The truncated nonce starts at 0 with each ratchet and is incremented before use, so a ratchet's
// first frame has nonce 1; its top byte is the ratchet generation (a new key every 2^24 frames),
// widened across the 32-bit wrap. The ratchet is the sender's own (its user ID's) for the epoch,
// set on execute_transition (or at once for transition 0).
//
// Passthrough (DAVE off, protocol version 0) sends frames as they are. The Opus silence frame
// F8 FF FE always goes as it is (receivers pass it; the SFU sends it too). With DAVE on but no
// ratchet yet (alone in the channel: no group forms) a frame cannot be sent and is dropped.
//
// Thread-safe: the player's tick encrypts while the session's strand changes the ratchet.

#include "net/dave/frame_cipher.hpp"
#include "net/dave/key_ratchet.hpp"
#include "net/voice/frame_encryptor.hpp"

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

namespace spence::net::dave {

struct opus_frame_encryptor_counters {
  std::uint64_t encrypted = 0;
  std::uint64_t passed_through = 0;  // passthrough on, or a silence frame
  std::uint64_t dropped_without_ratchet = 0;
};

class opus_frame_encryptor final : public net::frame_encryptor {
 public:
  // Starts with passthrough off and no ratchet: frames are dropped until one is set.
  opus_frame_encryptor() = default;

  // The ratchet to encrypt with from now on; the nonce starts over.
  void set_key_ratchet(key_ratchet ratchet);
  void set_passthrough(bool passthrough);

  // The protocol frame, written into `out`; `opus` itself in passthrough and for silence; empty
  // (the sink drops the frame) without a ratchet.
  std::span<const std::uint8_t> encrypt(std::span<const std::uint8_t> opus, std::vector<std::uint8_t>& out) override;

  opus_frame_encryptor_counters counters() const;

 private:
  mutable std::mutex mutex_;  // everything below
  std::optional<key_ratchet> ratchet_;
  std::optional<frame_cipher> cipher_;  // the current generation's
  std::uint32_t generation_ = 0;        // widened
  std::uint32_t truncated_nonce_ = 0;   // the last one used
  bool passthrough_ = false;
  opus_frame_encryptor_counters counters_;
};

}  // namespace spence::net::dave
