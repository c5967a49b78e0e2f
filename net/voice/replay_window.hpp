#pragma once
// Which received RTP packets are new: a sliding window over the last 64 sequence numbers of one
// stream, as SRTP's replay protection does (RFC 3711 3.3.2). A packet already seen (a replay, a
// duplicate) or older than the window is refused; a newer one moves the window. Sequence numbers
// wrap at 16 bits; a step of more than half the space counts as going back.

#include <cstdint>

namespace spence::net {

class replay_window {
 public:
  static constexpr int size = 64;

  // Whether the packet numbered `sequence` is new; if so it is remembered.
  bool accept(std::uint16_t sequence) noexcept;

 private:
  bool started_ = false;
  std::uint16_t highest_ = 0;
  std::uint64_t seen_ = 0;  // bit i: highest_ - i was received
};

}  // namespace spence::net
