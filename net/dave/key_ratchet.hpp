#pragma once
// A DAVE sender's key ratchet for one epoch (whitepaper "Sender Key Derivation"): every member
// derives, for every sender (itself included), a base secret from the epoch's MLS exporter,
//   sender_base_secret = MLS-Exporter("Discord Secure Frames v0", user ID as little-endian uint64, 16)
// and ratchets it as MLS ratchets its application secrets (RFC 9420 9.1, mlspp's HashRatchet):
// for generation g, with secret_0 = the base secret,
//   key_g        = DeriveTreeSecret(secret_g, "key", g, 16)    (the frame key)
//   nonce_g      = DeriveTreeSecret(secret_g, "nonce", g, 12)  (MLS's; DAVE frames do not use it)
//   secret_{g+1} = DeriveTreeSecret(secret_g, "secret", g, 32)
// A generation changes every 2^24 frames (the truncated nonce's top byte), so ratcheting is rare.
//
// The ratchet only moves forward: asking for a later generation derives and keeps every
// generation passed on the way (frames arrive out of order), and a kept generation is dropped with
// erase(), after which it cannot be had again. Callers bound how far one call may ratchet (the
// decryptor's maximum generation gap; the encryptor's one-by-one steps).

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string_view>

namespace spence::net::dave {

inline constexpr std::string_view sender_key_label = "Discord Secure Frames v0";
inline constexpr std::uint16_t sender_base_secret_size = 16;
inline constexpr std::uint16_t frame_key_size = 16;  // AES-128

struct ratchet_generation_keys {
  mls::bytes key;
  mls::bytes nonce;
};

class key_ratchet {
 public:
  explicit key_ratchet(mls::bytes base_secret);

  // The ratchet of `user_id`'s frames in the epoch `epoch` describes.
  static key_ratchet for_sender(const mls::key_schedule& epoch, std::uint64_t user_id);

  // The keys of `generation`; nullopt when it was erased (or passed without being kept, which
  // erase() of every earlier generation amounts to).
  std::optional<ratchet_generation_keys> get(std::uint32_t generation);
  // Forgets `generation`'s keys.
  void erase(std::uint32_t generation);

 private:
  std::uint32_t next_generation_ = 0;  // the generation next_secret_ belongs to
  mls::bytes next_secret_;
  std::map<std::uint32_t, ratchet_generation_keys> kept_;
};

}  // namespace spence::net::dave
