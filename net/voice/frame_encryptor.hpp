#pragma once
// The hook where DAVE's end-to-end encryption (issue 6) goes: a voice sink with a frame encryptor
// passes each Opus frame through it before the frame is put in RTP and transport-encrypted, as
// DAVE's frame layer sits under the transport's. Silence frames stay in the clear, as DAVE asks.

#include <cstdint>
#include <span>
#include <vector>

namespace spence::net {

class frame_encryptor {
 public:
  virtual ~frame_encryptor() = default;
  // The frame to send in place of `opus`: `opus` itself, or bytes written into `out` (replacing
  // what it held); empty when the frame cannot be sent (DAVE on but no key yet), which the sink
  // drops and counts. Called on the player's tick, in frame order; must not block.
  virtual std::span<const std::uint8_t> encrypt(std::span<const std::uint8_t> opus, std::vector<std::uint8_t>& out) = 0;
};

}  // namespace spence::net
