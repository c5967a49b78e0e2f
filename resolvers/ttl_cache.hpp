#pragma once
// The resolvers' cache: least recently used entries with a time to live each, bounded both in
// entries and in bytes (each entry's cost is what the caller says it weighs). Stream URLs live
// until they expire, metadata for a day, failures briefly (negative caching): the caller chooses
// each entry's lifetime. Expired entries are misses and are dropped when met; the least recently
// used go first when a bound is reached. Time is passed in (the actor clock's readings), so tests
// and replay control it. Thread-safe.

#include "actors/clock.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace spence::resolvers {

struct ttl_cache_limits {
  std::size_t max_entries = 10'000;
  std::size_t max_bytes = 64 << 20;
};

struct ttl_cache_stats {
  std::uint64_t hits = 0;
  std::uint64_t misses = 0;   // including expired entries
  std::uint64_t expired = 0;
  std::uint64_t evicted = 0;  // dropped for a bound
  std::size_t entries = 0;
  std::size_t bytes = 0;
};

template <class Value>
class ttl_cache {
 public:
  using time_point = actors::clock::time_point;
  using duration = actors::clock::duration;

  explicit ttl_cache(ttl_cache_limits limits = {}) : limits_(limits) {}

  // The value under `key` if it is there and alive at `now` (it becomes the most recently used).
  std::optional<Value> get(const std::string& key, time_point now) {
    std::lock_guard lock(mutex_);
    auto it = index_.find(key);
    if (it == index_.end()) {
      ++stats_.misses;
      return std::nullopt;
    }
    if (it->second->expires <= now) {
      ++stats_.misses;
      ++stats_.expired;
      erase(it->second);
      return std::nullopt;
    }
    order_.splice(order_.begin(), order_, it->second);
    ++stats_.hits;
    return it->second->value;
  }

  // Stores `value` (weighing `bytes`) until `now + ttl`, replacing what was under `key`. A value
  // heavier than the whole byte bound is not stored.
  void put(const std::string& key, Value value, std::size_t bytes, duration ttl, time_point now) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) erase(it->second);
    if (bytes > limits_.max_bytes || limits_.max_entries == 0 || ttl <= duration::zero()) return;
    while (!order_.empty() && (order_.size() + 1 > limits_.max_entries || stats_.bytes + bytes > limits_.max_bytes)) {
      erase(std::prev(order_.end()));
      ++stats_.evicted;
    }
    order_.push_front(entry{key, std::move(value), bytes, now + ttl});
    index_.emplace(key, order_.begin());
    stats_.bytes += bytes;
    stats_.entries = order_.size();
  }

  // Drops what is under `key`, if anything (a value found to be stale before its time).
  void forget(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (auto it = index_.find(key); it != index_.end()) erase(it->second);
  }

  ttl_cache_stats stats() const {
    std::lock_guard lock(mutex_);
    return stats_;
  }

 private:
  struct entry {
    std::string key;
    Value value;
    std::size_t bytes;
    time_point expires;
  };
  using position = typename std::list<entry>::iterator;

  void erase(position at) {
    stats_.bytes -= at->bytes;
    index_.erase(at->key);
    order_.erase(at);
    stats_.entries = order_.size();
  }

  ttl_cache_limits limits_;
  mutable std::mutex mutex_;
  std::list<entry> order_;  // most recently used first
  std::unordered_map<std::string, position> index_;
  ttl_cache_stats stats_;
};

}  // namespace spence::resolvers
