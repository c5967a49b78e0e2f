#pragma once
// One sender's key ratchet in one epoch, as a receiver uses it (libdave's CryptorManager): which
// generations it can still decrypt, and which nonces it already did.
//
//   - A generation's key is kept while frames of it may still come: the newest generation's for
//     as long as the ratchet lives, older ones for 10 s after a newer one first decrypted (frames
//     in flight, out of order). Expired generations are erased from the key ratchet for good.
//   - A generation more than 250 past the newest decrypted one is refused (the ratchet would have
//     to run that far to find out), as is one the sender cannot have reached yet: at most 170
//     frames a second (50 audio, 2 x 60 video) since the ratchet was made, 2^24 frames a
//     generation.
//   - Each nonce decrypts once (nonce_window).
//
// Time comes in as an argument (a steady clock's now), never read here, so tests can drive it.

#include "net/dave/frame_cipher.hpp"
#include "net/dave/frame_rejection.hpp"
#include "net/dave/key_ratchet.hpp"
#include "net/dave/nonce_window.hpp"
#include "net/dave/protocol_frame.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

namespace spence::net::dave {

using frame_clock = std::chrono::steady_clock;
using frame_time = frame_clock::time_point;

inline constexpr std::chrono::seconds ratchet_expiry{10};  // libdave's kCryptorExpiry
inline constexpr std::uint32_t max_generation_gap = 250;
inline constexpr std::uint64_t max_frames_per_second = 50 + 2 * 60;

class receive_ratchet {
 public:
  receive_ratchet(key_ratchet ratchet, frame_time created);

  // Decrypts `frame` (its ciphertext and additional data gathered by the caller) into
  // `plaintext` (ciphertext.size() bytes), or says why not; nothing changes on a refusal.
  std::optional<frame_rejection> decrypt(const protocol_frame& frame, mls::bytes_view aad, mls::bytes_view ciphertext,
                                         std::uint8_t* plaintext, frame_time now);

  // The whole ratchet stops at `when` (or earlier if already set so): a newer epoch replaced it.
  void expire_at(frame_time when) noexcept;
  bool expired(frame_time now) const noexcept { return expiry_ < now; }

 private:
  struct generation_cipher {
    frame_cipher cipher;
    frame_time expiry;
  };

  // The cipher of `generation`, made from the key ratchet if need be; or why there is none.
  frame_cipher* cipher_for(std::uint32_t generation, frame_time now, frame_rejection& why);
  void drop_expired_generations(frame_time now);
  void decrypted(std::uint32_t generation, std::uint64_t nonce, frame_time now);

  key_ratchet ratchet_;
  frame_time created_;
  frame_time expiry_ = frame_time::max();
  std::map<std::uint32_t, generation_cipher> ciphers_;
  std::uint32_t oldest_generation_ = 0;  // below it, keys are erased
  std::uint32_t newest_generation_ = 0;  // the newest that decrypted a frame
  nonce_window nonces_;
};

}  // namespace spence::net::dave
