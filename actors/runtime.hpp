#pragma once
// The runtime owns the executor the actors run on (a thread pool, or a caller's executor for
// deterministic tests and replay), the clock, the registry of live actors by name, the effect
// sinks, and the trace. Spawning is declared here and defined in actor.hpp with the actor loop.

#include "actors/actor_cell.hpp"
#include "actors/actor_ref.hpp"
#include "actors/clock.hpp"
#include "actors/effect.hpp"
#include "actors/metrics.hpp"
#include "actors/services.hpp"
#include "actors/trace_sink.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/system/result.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace spence::actors {

struct runtime_options {
  unsigned threads = 0;                // 0: one per core
  trace_sink* trace = nullptr;         // not owned; null: tracing off
};

class runtime {
 public:
  // Live: a thread pool of options.threads and the real clock.
  explicit runtime(runtime_options options = {});
  // On an executor the caller runs (deterministic tests with a virtual clock; replay).
  runtime(boost::asio::any_io_executor ex, std::shared_ptr<actors::clock> clk, trace_sink* trace = nullptr,
          bool replaying = false);
  ~runtime();
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  // Spawns a top-level actor; `name` is absolute ("/node/guild/1234/player").
  // errc::duplicate_name if an actor of that name is running.
  template <class Actor>
  boost::system::result<actor_ref<typename Actor::protocol>> spawn(std::string name, typename Actor::config config = {},
                                                                   spawn_options options = {});

  std::shared_ptr<actor_cell> find(const std::string& name) const;
  template <class Protocol>
  actor_ref<Protocol> find_as(const std::string& name) const {
    return actor_ref<Protocol>(std::dynamic_pointer_cast<typed_cell<Protocol>>(find(name)));
  }
  std::vector<actor_metrics> metrics() const;
  std::size_t actor_count() const;

  actors::clock& clock() { return *clock_; }
  // The clock is real_clock: a steady_clock reading is its time, no second reading needed.
  bool clock_is_steady() const { return clock_is_steady_; }
  boost::asio::any_io_executor executor() const { return executor_; }
  trace_sink* trace() const { return trace_; }
  bool replaying() const { return replaying_; }
  bool takes_external_messages() const { return intake_open_.load(std::memory_order_acquire); }

  // Where context::emit sends an effect named `name`. Register before actors emit to it.
  void add_effect_sink(std::string name, std::shared_ptr<effect_sink> sink);
  effect_sink* find_effect_sink(std::string_view name) const;

  // What actors look up by type (see services.hpp). Provide before spawning the actors that need it.
  service_registry& services() { return services_; }

  // Graceful shutdown of a live runtime; call from a thread outside the pool. Stops taking
  // messages from outside, lets mailboxes drain until `drain_deadline`, stops every actor, joins the
  // pool. Returns whether everything drained in time.
  bool shutdown(clock::duration drain_deadline);
  // Blocks until SIGINT or SIGTERM, then shuts down with `drain_deadline`.
  bool run_until_signal(clock::duration drain_deadline);

  // Used by the actor machinery.
  boost::system::result<void> register_cell(const std::shared_ptr<actor_cell>& cell);
  void unregister_cell(const actor_cell& cell);
  void loop_started() { running_loops_.fetch_add(1, std::memory_order_acq_rel); }
  void loop_ended() { running_loops_.fetch_sub(1, std::memory_order_acq_rel); }

  template <class Actor>
  boost::system::result<actor_ref<typename Actor::protocol>> spawn_under(const std::shared_ptr<actor_cell>& parent,
                                                                         std::string name, typename Actor::config config,
                                                                         spawn_options options, clock::time_point born);

 private:
  bool all_idle() const;
  std::vector<std::shared_ptr<actor_cell>> live_cells() const;

  std::optional<boost::asio::thread_pool> pool_;
  boost::asio::any_io_executor executor_;
  std::shared_ptr<actors::clock> clock_;
  const bool clock_is_steady_;
  trace_sink* trace_;
  const bool replaying_;
  std::atomic<bool> intake_open_{true};
  std::atomic<bool> shut_down_{false};
  std::atomic<std::size_t> running_loops_{0};

  mutable std::mutex registry_mutex_;
  std::unordered_map<std::string, std::weak_ptr<actor_cell>> registry_;
  mutable std::mutex sinks_mutex_;
  std::map<std::string, std::shared_ptr<effect_sink>, std::less<>> sinks_;
  service_registry services_;
};

}  // namespace spence::actors
