#include "engine/player/shard_pool.hpp"

#include <algorithm>
#include <thread>
#include <tuple>

namespace spence::engine {

shard_pool::shard_pool(const boost::asio::any_io_executor& executor, std::shared_ptr<actors::clock> clock,
                       shard_pool_options options) {
  const std::size_t count =
      options.shards > 0 ? options.shards : std::max<std::size_t>(1, std::thread::hardware_concurrency());
  // An overrunning shard moves its costliest member only where that member still fits the budget.
  auto rehome = [this, budget = options.shard.budget](const tick_shard& from,
                                                      double member_load) -> std::shared_ptr<tick_shard> {
    auto target = most_headroom(&from);
    if (!target || target->projected_load() + member_load >= budget) return nullptr;
    return target;
  };
  shards_.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    shards_.push_back(
        std::make_shared<tick_shard>(i, executor, clock, options.frames, options.shard, rehome));
  }
}

shard_pool::~shard_pool() { stop(); }

std::shared_ptr<shard_member> shard_pool::attach(std::shared_ptr<tickable> target) {
  auto member = std::make_shared<shard_member>(std::move(target));
  most_headroom(nullptr)->adopt(member);
  return member;
}

void shard_pool::dispatch(const std::shared_ptr<shard_member>& member, member_command fn) {
  tick_shard::dispatch(member, std::move(fn));
}

void shard_pool::detach(const std::shared_ptr<shard_member>& member) { tick_shard::detach(member); }

std::shared_ptr<tick_shard> shard_pool::most_headroom(const tick_shard* except) const {
  std::shared_ptr<tick_shard> best;
  for (const auto& shard : shards_) {
    if (shard.get() == except) continue;
    if (!best || std::tuple(shard->projected_load(), shard->expected_active(), shard->expected_members()) <
                     std::tuple(best->projected_load(), best->expected_active(), best->expected_members())) {
      best = shard;
    }
  }
  return best;
}

shard_pool_stats shard_pool::stats() const {
  shard_pool_stats result;
  lateness_histogram tick_durations;
  lateness_histogram lateness;
  for (const auto& shard : shards_) {
    auto& s = result.shards.emplace_back(shard->stats());
    result.total.members += s.members;
    result.total.active += s.active;
    result.total.load += s.load;
    result.total.frames += s.frames;
    result.total.missed += s.missed;
    result.total.migrations += s.migrations;
    tick_durations.merge(shard->tick_durations());
    lateness.merge(shard->lateness());
  }
  result.total.tick_duration = tick_durations.summarize();
  result.total.lateness = lateness.summarize();
  return result;
}

void shard_pool::stop() {
  for (const auto& shard : shards_) shard->stop();
}

}  // namespace spence::engine
