#pragma once
// Frame statistics counted as Lavalink counts them, per player and per minute: frames sent, frames
// nulled (a tick with no audio ready while a track played) and the deficit (frames of the minute
// neither sent nor nulled; negative when more were sent than real time holds). Lavalink reports
// the last complete minute; so does this.
//
// Written by the player's tick (one strand at a time), read from any thread.

#include <boost/describe/class.hpp>
#include <atomic>
#include <cstdint>

namespace spence::engine {

struct frame_counts {
  std::int64_t sent = 0;
  std::int64_t nulled = 0;
  std::int64_t deficit = 0;
  bool operator==(const frame_counts&) const = default;
};
BOOST_DESCRIBE_STRUCT(frame_counts, (), (sent, nulled, deficit))

class frame_statistics {
 public:
  static constexpr std::uint64_t frames_per_minute = 3000;

  // Counts a tick of `frame` (the frame clock's index) that sent audio or found none ready.
  void sent(std::uint64_t frame) { count(frame, sent_); }
  void nulled(std::uint64_t frame) { count(frame, nulled_); }

  // The last complete minute. Not usable unless the player was ticked from that minute's start to
  // its end (Lavalink's rule: a player that started within the minute is left out).
  struct last_minute {
    bool usable = false;
    frame_counts counts;
  };
  last_minute last() const;

 private:
  void count(std::uint64_t frame, std::atomic<std::int64_t>& counter);

  std::uint64_t minute_ = UINT64_MAX;  // the minute (frame / 3000) being counted; tick strand only
  bool whole_ = false;                 // counting began at that minute's start; tick strand only
  std::atomic<std::int64_t> sent_{0};
  std::atomic<std::int64_t> nulled_{0};
  std::atomic<std::int64_t> last_sent_{0};
  std::atomic<std::int64_t> last_nulled_{0};
  std::atomic<bool> usable_{false};
};

}  // namespace spence::engine
