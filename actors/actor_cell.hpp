#pragma once
// The untyped part of an actor: name, place in the hierarchy, supervision settings, watchers and
// metrics. The typed mailbox lives in typed_cell (actor_ref.hpp); the loop in actor.hpp.

#include "actors/clock.hpp"
#include "actors/mailbox.hpp"
#include "actors/metrics.hpp"
#include "actors/supervision.hpp"
#include "actors/wake_batch.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/strand.hpp>
#include <boost/describe/class.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace spence::actors {

class runtime;

// Told to watchers (and to a parent whose protocol accepts it) when an actor terminates.
struct terminated {
  std::string actor;
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(terminated, (), (actor, reason))

// A child's failure escalated to its parent; recorded in traces like a message.
struct child_failure {
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(child_failure, (), (reason))

class actor_cell : public std::enable_shared_from_this<actor_cell>, public wake_target {
 public:
  actor_cell(runtime& owner, std::string name, std::string kind, std::weak_ptr<actor_cell> parent,
             supervision policy);
  virtual ~actor_cell() = default;
  actor_cell(const actor_cell&) = delete;
  actor_cell& operator=(const actor_cell&) = delete;

  const std::string& name() const { return name_; }
  const std::string& kind() const { return kind_; }
  runtime& owner() const { return owner_; }
  const boost::asio::strand<boost::asio::any_io_executor>& strand() const { return strand_; }

  // Thread-safe requests, served by the actor between two messages.
  void request_stop(std::string reason);
  bool stop_requested() const { return stop_requested_.load(std::memory_order_acquire); }
  void fail_from_child(std::string reason);

  virtual mailbox_stats mailbox_state() const = 0;
  // Nothing queued and no message being handled.
  bool idle() const { return !busy_.load(std::memory_order_acquire) && mailbox_state().depth == 0; }
  bool has_terminated() const { return terminated_.load(std::memory_order_acquire); }

  // Runs `fn` once the actor terminates (at once if it already has), on the terminating thread.
  void on_terminated(std::function<void(const terminated&)> fn);
  actor_metrics metrics() const;
  void adopt(const std::shared_ptr<actor_cell>& child);
  // The children still referenced (some may have terminated: check has_terminated()).
  std::vector<std::shared_ptr<actor_cell>> children();
  // Ends the actor without running its loop again: the runtime is going away with the actor
  // parked or suspended (deterministic executors). Closes the mailbox and drops the cell's hold
  // on itself.
  virtual void abandon() = 0;
  // From its spawn until it terminates, a cell owns itself: an actor that nobody addresses any more
  // still runs to its end, and is told to stop like any other.
  void hold_self() { self_ = shared_from_this(); }

 protected:
  struct system_requests {
    std::string stop_reason;     // non-empty: stop
    std::string child_failure;   // non-empty: a child escalated
  };
  // Takes the pending requests (clears them).
  system_requests take_requests();
  virtual void wake() = 0;
  // The parent is told about this child's end through its own protocol, if it can take it.
  virtual void tell_terminated(const terminated& t) = 0;
  // Marks the actor terminated and tells watchers and the parent.
  void finish(const std::string& reason);
  // Ends the cell's hold on itself (it is freed once the last address and pending wake go).
  void release_self() { self_.reset(); }

  runtime& owner_;
  const std::string name_;
  const std::string kind_;
  const std::weak_ptr<actor_cell> parent_;
  const supervision policy_;
  boost::asio::strand<boost::asio::any_io_executor> strand_;
  std::atomic<bool> busy_{false};
  std::atomic<bool> terminated_{false};
  std::atomic<bool> stop_requested_{false};
  std::atomic<std::uint64_t> processed_{0};
  std::atomic<std::uint64_t> restarts_{0};
  latency_histogram handler_time_;

 private:
  std::mutex mutex_;
  std::atomic<bool> has_requests_{false};  // lets the loop skip the mutex between messages
  system_requests requests_;
  std::vector<std::function<void(const terminated&)>> watchers_;
  std::vector<std::weak_ptr<actor_cell>> children_;
  std::string end_reason_;
  std::shared_ptr<actor_cell> self_;
};

}  // namespace spence::actors
