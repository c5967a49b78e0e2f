#include "engine/player/frame_statistics.hpp"

namespace spence::engine {
namespace {
// A minute whose first counted frame came later than this was not played whole (the player started
// or resumed within it): Lavalink leaves such a player out of frameStats, and so does this.
constexpr std::uint64_t whole_minute_slack = 50;
}  // namespace

void frame_statistics::count(std::uint64_t frame, std::atomic<std::int64_t>& counter) {
  const std::uint64_t minute = frame / frames_per_minute;
  if (minute != minute_) {
    const bool previous_whole = minute_ != UINT64_MAX && minute == minute_ + 1 && whole_;
    last_sent_.store(sent_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    last_nulled_.store(nulled_.load(std::memory_order_relaxed), std::memory_order_relaxed);
    usable_.store(previous_whole, std::memory_order_release);
    sent_.store(0, std::memory_order_relaxed);
    nulled_.store(0, std::memory_order_relaxed);
    whole_ = frame % frames_per_minute <= whole_minute_slack;
    minute_ = minute;
  }
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

frame_statistics::last_minute frame_statistics::last() const {
  last_minute out;
  out.usable = usable_.load(std::memory_order_acquire);
  if (!out.usable) return out;
  out.counts.sent = last_sent_.load(std::memory_order_relaxed);
  out.counts.nulled = last_nulled_.load(std::memory_order_relaxed);
  out.counts.deficit = static_cast<std::int64_t>(frames_per_minute) - out.counts.sent - out.counts.nulled;
  return out;
}

}  // namespace spence::engine
