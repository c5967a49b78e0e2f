#include "net/voice/replay_window.hpp"

namespace spence::net {

bool replay_window::accept(std::uint16_t sequence) noexcept {
  if (!started_) {
    started_ = true;
    highest_ = sequence;
    seen_ = 1;
    return true;
  }
  const auto step = static_cast<std::int16_t>(static_cast<std::uint16_t>(sequence - highest_));
  if (step > 0) {
    seen_ = step >= size ? 1 : (seen_ << step) | 1;
    highest_ = sequence;
    return true;
  }
  const int behind = -step;
  if (behind >= size) return false;
  const std::uint64_t bit = std::uint64_t{1} << behind;
  if (seen_ & bit) return false;
  seen_ |= bit;
  return true;
}

}  // namespace spence::net
