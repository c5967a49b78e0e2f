#include "actors/actor_cell.hpp"

#include "actors/runtime.hpp"

namespace spence::actors {

actor_cell::actor_cell(runtime& owner, std::string name, std::string kind, std::weak_ptr<actor_cell> parent,
                       supervision policy)
    : owner_(owner),
      name_(std::move(name)),
      kind_(std::move(kind)),
      parent_(std::move(parent)),
      policy_(policy),
      strand_(boost::asio::make_strand(owner.executor())) {}

void actor_cell::request_stop(std::string reason) {
  stop_requested_.store(true, std::memory_order_release);
  {
    std::lock_guard lock(mutex_);
    if (requests_.stop_reason.empty()) requests_.stop_reason = reason.empty() ? "stopped" : std::move(reason);
    has_requests_.store(true, std::memory_order_release);
  }
  wake();
}

void actor_cell::fail_from_child(std::string reason) {
  {
    std::lock_guard lock(mutex_);
    if (requests_.child_failure.empty()) requests_.child_failure = std::move(reason);
    has_requests_.store(true, std::memory_order_release);
  }
  wake();
}

actor_cell::system_requests actor_cell::take_requests() {
  if (!has_requests_.load(std::memory_order_acquire)) return {};
  std::lock_guard lock(mutex_);
  has_requests_.store(false, std::memory_order_relaxed);
  return std::exchange(requests_, {});
}

void actor_cell::on_terminated(std::function<void(const terminated&)> fn) {
  std::unique_lock lock(mutex_);
  if (!has_terminated()) {
    watchers_.push_back(std::move(fn));
    return;
  }
  terminated t{name_, end_reason_};
  lock.unlock();
  fn(t);
}

void actor_cell::adopt(const std::shared_ptr<actor_cell>& child) {
  std::lock_guard lock(mutex_);
  std::erase_if(children_, [](const auto& w) { return w.expired(); });
  children_.push_back(child);
}

std::vector<std::shared_ptr<actor_cell>> actor_cell::children() {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<actor_cell>> out;
  for (auto& w : children_)
    if (auto c = w.lock()) out.push_back(std::move(c));
  return out;
}

void actor_cell::finish(const std::string& reason) {
  std::vector<std::function<void(const terminated&)>> watchers;
  {
    std::lock_guard lock(mutex_);
    end_reason_ = reason;
    terminated_.store(true, std::memory_order_release);
    watchers = std::move(watchers_);
    watchers_.clear();
  }
  terminated t{name_, reason};
  for (auto& w : watchers) w(t);
  if (auto parent = parent_.lock(); parent && !owner_.replaying()) parent->tell_terminated(t);
}

actor_metrics actor_cell::metrics() const {
  auto mb = mailbox_state();
  auto counts = handler_time_.counts();
  actor_metrics m;
  m.name = name_;
  m.kind = kind_;
  m.mailbox_depth = mb.depth;
  m.mailbox_high_water = mb.high_water;
  m.mailbox_capacity = mb.capacity;
  m.dropped = mb.dropped;
  m.processed = processed_.load(std::memory_order_relaxed);
  m.restarts = restarts_.load(std::memory_order_relaxed);
  m.handler_p50_ns = latency_histogram::quantile_ns(counts, 0.50);
  m.handler_p99_ns = latency_histogram::quantile_ns(counts, 0.99);
  m.handler_max_ns = latency_histogram::quantile_ns(counts, 1.0);
  return m;
}

}  // namespace spence::actors
