#pragma once
// The audio clock: frame n of every player is due at epoch + n * 20 ms on the runtime's injected
// clock. Deadlines are computed from the frame index, never by adding periods to the previous
// deadline, so the schedule cannot drift.

#include "actors/clock.hpp"

#include <chrono>
#include <cstdint>

namespace spence::engine {

class frame_clock {
 public:
  static constexpr actors::clock::duration period = std::chrono::milliseconds(20);

  explicit frame_clock(actors::clock::time_point epoch = {}) : epoch_(epoch) {}

  actors::clock::time_point epoch() const noexcept { return epoch_; }
  actors::clock::time_point deadline(std::uint64_t frame) const noexcept {
    return epoch_ + period * static_cast<std::int64_t>(frame);
  }
  // The first frame whose deadline is at or after `t`.
  std::uint64_t first_frame_due_at_or_after(actors::clock::time_point t) const noexcept {
    if (t <= epoch_) return 0;
    const auto elapsed = t - epoch_;
    return static_cast<std::uint64_t>((elapsed + period - actors::clock::duration{1}) / period);
  }

 private:
  actors::clock::time_point epoch_;
};

}  // namespace spence::engine
