#pragma once
// The tick shards of one runtime: K shards (one per hardware thread by default) over one
// executor, and where players go. A new player joins the shard with the most headroom (lowest
// measured load, then fewest active members, then fewest members: players are mostly attached
// idle, before they play, and would otherwise all tie and pile onto one shard); a shard whose busy time per period overruns its budget
// for a few periods in a row moves its costliest player to the shard with the most headroom, if it
// fits there. A player keeps its phase in the period (see tick_shard) wherever it goes.
// Commands to a player run on the strand of whichever shard owns it at the time.

#include "actors/clock.hpp"
#include "engine/player/frame_clock.hpp"
#include "engine/player/lateness_histogram.hpp"
#include "engine/player/tick_shard.hpp"
#include "engine/player/tickable.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace spence::engine {

struct shard_pool_options {
  std::size_t shards = 0;  // 0: one per hardware thread
  frame_clock frames{};    // frame n of every player is due at frames.deadline(n)
  tick_shard_options shard{};
};

struct shard_pool_stats {
  std::vector<tick_shard_stats> shards;
  // Sums, histograms merged; total.load is in cores (the sum of the shards' loads).
  tick_shard_stats total;
};

class shard_pool {
 public:
  // Throws std::invalid_argument for bad shard options or no clock.
  shard_pool(const boost::asio::any_io_executor& executor, std::shared_ptr<actors::clock> clock,
             shard_pool_options options = {});
  ~shard_pool();  // stop()
  shard_pool(const shard_pool&) = delete;
  shard_pool& operator=(const shard_pool&) = delete;

  // Any thread. The member starts ticking at the first frame due at or after now, if active.
  std::shared_ptr<shard_member> attach(std::shared_ptr<tickable> target);
  // Any thread. Runs fn(tickable&) on the member's owner, then parks or unparks it by active().
  // Dropped after detach().
  void dispatch(const std::shared_ptr<shard_member>& member, member_command fn);
  // Any thread. No tick and no command starts on the member after this returns.
  void detach(const std::shared_ptr<shard_member>& member);

  std::size_t shard_count() const noexcept { return shards_.size(); }
  const tick_shard& shard(std::size_t index) const { return *shards_.at(index); }
  shard_pool_stats stats() const;  // any thread
  // From a thread outside the pool: cancels every timer; once it returns nothing ticks.
  void stop();

 private:
  // The shard with the most headroom, other than `except`.
  std::shared_ptr<tick_shard> most_headroom(const tick_shard* except) const;

  std::vector<std::shared_ptr<tick_shard>> shards_;
};

}  // namespace spence::engine
