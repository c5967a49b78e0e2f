#pragma once
// The actor loop: one coroutine per actor on its strand, taking messages from the bounded mailbox,
// calling the behaviour's handlers, applying supervision when they throw, and reporting to the
// trace. Include this header to spawn actors.
//
// A behaviour is a class with
//   static constexpr std::string_view kind;    // registered name, used by replay
//   using protocol = std::variant<messages...>;
//   struct config { ... };                     // described with Boost.Describe
//   behaviour(const config&, context<protocol>&);
//   void handle(const message&, context<protocol>&);                      // or, for one that awaits:
//   boost::asio::awaitable<void> handle(const message&, context<protocol>&);
// Handlers must be deterministic in (state, message, ctx.now()) for replay to reproduce them.

#include "actors/actor_ref.hpp"
#include "actors/context.hpp"
#include "actors/message.hpp"
#include "actors/runtime.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_allocator.hpp>
#include <boost/asio/recycling_allocator.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/value_from.hpp>

#include <spdlog/spdlog.h>

#include <chrono>
#include <optional>
#include <string>
#include <type_traits>

namespace spence::actors {

template <class Actor>
class actor_cell_t final : public typed_cell<typename Actor::protocol> {
 public:
  using protocol = typename Actor::protocol;
  using config_type = typename Actor::config;

  actor_cell_t(runtime& owner, std::string name, std::weak_ptr<actor_cell> parent, config_type config,
               const spawn_options& options, clock::time_point born)
      : typed_cell<protocol>(owner, std::move(name), std::string(Actor::kind), std::move(parent), options),
        config_(std::move(config)),
        ctx_(*this) {
    ctx_.set_time(born);
  }

  const config_type& config() const { return config_; }

  // The actor's whole life. `self` is a parameter so that the coroutine frame owns the cell from
  // the moment it is created, not from when it first runs.
  static boost::asio::awaitable<void> run(std::shared_ptr<actor_cell_t> self) { co_await self->loop(); }

 private:
  boost::asio::awaitable<void> loop() {
    std::string end;
    if (auto failure = construct(); !failure.empty()) end = apply_policy(failure, "its construction");
    std::size_t batch = 0;
    while (end.empty()) {
      auto requests = this->take_requests();  // cheap when there are none
      if (!requests.child_failure.empty()) end = handle_child_failure(requests.child_failure);
      if (!requests.stop_reason.empty() && end.empty()) end = requests.stop_reason;
      if (!end.empty()) break;

      this->busy_.store(true, std::memory_order_release);
      auto message = this->mailbox_.try_pop();
      if (!message) {
        this->busy_.store(false, std::memory_order_release);
        // The recycling allocator spares the type-erased wait handler a malloc per wait.
        auto [ec] = co_await this->mailbox_.async_wait(boost::asio::bind_allocator(
            boost::asio::recycling_allocator<void>(), boost::asio::as_tuple(boost::asio::use_awaitable)));
        if (ec) end = "mailbox closed";
        continue;
      }
      // Synchronous handlers (the common case) run without a nested coroutine frame.
      auto handled = begin_and_handle(*message);
      if (handled.needs_await) {
        try {
          co_await dispatch_async(*message);
        } catch (...) {
          handled.failure = current_failure();
        }
      }
      if (!handled.failure.empty()) end = apply_policy(handled.failure, "handling " + *handled.type);
      if (ctx_.holds_sends()) co_await ctx_.flush_outbox();
      finish_message(handled, end);
      this->busy_.store(false, std::memory_order_release);
      // Strands share threads: an actor with a full mailbox yields now and then.
      if (++batch == 64) {
        batch = 0;
        co_await boost::asio::post(this->strand_, boost::asio::use_awaitable);
      }
    }
    terminate(end);
  }

  template <class M>
  static constexpr bool awaits =
      std::is_same_v<decltype(std::declval<Actor&>().handle(std::declval<M&>(), std::declval<context<protocol>&>())),
                     boost::asio::awaitable<void>>;

  static boost::asio::awaitable<void> nothing() { co_return; }

  // The reason recorded for the exception being handled; call only inside a catch block.
  static std::string current_failure() {
    try {
      throw;
    } catch (const std::exception& e) {
      return *e.what() ? e.what() : "exception";
    } catch (...) {
      return "non-standard exception";
    }
  }

  // Returns the failure reason, empty on success.
  std::string construct() {
    try {
      behavior_.emplace(config_, ctx_);
      return {};
    } catch (...) {
      return current_failure();
    }
  }

  // Applies the supervision policy to a failure. Returns why the actor must terminate, or empty
  // when it carries on (restarted).
  std::string apply_policy(std::string what, std::string_view during) {
    spdlog::error("actor {} ({}) failed in {}: {}", this->name_, this->kind_, during, what);
    for (;;) {
      switch (this->policy_.on_failure) {
        case supervision::strategy::stop:
          return "failed: " + what;
        case supervision::strategy::escalate:
          if (auto parent = this->parent_.lock(); parent && !this->owner_.replaying())
            parent->fail_from_child(this->name_ + ": " + what);
          return "failed, escalated: " + what;
        case supervision::strategy::restart:
          break;
      }
      if (!window_.admit(this->policy_, ctx_.now())) {
        spdlog::error("actor {} exceeded {} restarts in {} ms; stopping", this->name_, this->policy_.max_restarts,
                      std::chrono::duration_cast<std::chrono::milliseconds>(this->policy_.within).count());
        return "restart limit exceeded: " + what;
      }
      this->restarts_.fetch_add(1, std::memory_order_relaxed);
      ctx_.cancel_timers();
      behavior_.reset();
      for (auto& child : this->children()) child->request_stop("parent restarted");
      auto failure = construct();
      if (failure.empty()) {
        spdlog::warn("actor {} restarted", this->name_);
        return {};
      }
      what = std::move(failure);
      during = "its restart";
      spdlog::error("actor {} ({}) failed in {}: {}", this->name_, this->kind_, during, what);
    }
  }

  struct handling {
    const std::string* type = nullptr;
    std::uint64_t seq = 0;
    std::chrono::steady_clock::time_point started;
    bool needs_await = false;
    std::string failure;
  };

  // Records the message, then runs its handler if that handler is synchronous.
  handling begin_and_handle(protocol& message) {
    handling h;
    h.type = &protocol_codec<protocol>::name_of(message);
    auto* trace = this->owner_.trace();
    ctx_.set_time(this->owner_.clock().now());
    if (trace != nullptr) {
      json_arena arena;
      h.seq = trace->on_message(ctx_.now(), this->name_, *h.type,
                                protocol_codec<protocol>::payload_of(message, arena.storage()));
    }
    ctx_.begin_message(trace != nullptr);
    h.started = std::chrono::steady_clock::now();
    wake_batch::here().open();
    try {
      h.needs_await = !std::visit(
          [this](auto& m) {
            if constexpr (awaits<std::decay_t<decltype(m)>>) {
              return false;
            } else {
              behavior_->handle(m, ctx_);
              return true;
            }
          },
          message);
    } catch (...) {
      h.failure = current_failure();
    }
    wake_batch::here().close();
    return h;
  }

  boost::asio::awaitable<void> dispatch_async(protocol& message) {
    return std::visit(
        [this](auto& m) -> boost::asio::awaitable<void> {
          if constexpr (awaits<std::decay_t<decltype(m)>>) return behavior_->handle(m, ctx_);
          else return nothing();
        },
        message);
  }

  // Counts the message and writes its checkpoint; `end` becomes non-empty if the actor stops.
  void finish_message(const handling& h, std::string& end) {
    this->handler_time_.record(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - h.started).count()));
    // Single writer (this strand): a plain load and store, not a read-modify-write.
    this->processed_.store(this->processed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    auto outputs = ctx_.end_message();
    if (auto* trace = this->owner_.trace(); trace != nullptr && (!outputs.empty() || !h.failure.empty()))
      trace->on_checkpoint(h.seq, this->name_, outputs, h.failure);
    if (end.empty() && ctx_.stop_requested()) end = "stopped itself";
  }

  // A child escalated its failure: this actor fails in turn. Recorded like a message so that replay
  // reproduces it at the same point.
  std::string handle_child_failure(const std::string& reason) {
    auto* trace = this->owner_.trace();
    ctx_.set_time(this->owner_.clock().now());
    std::uint64_t seq = 0;
    if (trace != nullptr)
      seq = trace->on_message(ctx_.now(), this->name_, message_name<child_failure>(),
                              boost::json::value_from(child_failure{reason}));
    ctx_.begin_message(trace != nullptr);
    auto end = apply_policy("child " + reason, "a child's failure");
    auto outputs = ctx_.end_message();
    if (trace != nullptr) trace->on_checkpoint(seq, this->name_, outputs, "child " + reason);
    return end;
  }

  void terminate(const std::string& reason) {
    this->mailbox_.close();
    ctx_.cancel_timers();
    behavior_.reset();
    for (auto& child : this->children()) child->request_stop("parent stopped");
    if (auto* trace = this->owner_.trace()) trace->on_stop(ctx_.now(), this->name_);
    spdlog::debug("actor {} terminated: {}", this->name_, reason);
    this->owner_.unregister_cell(*this);
    this->finish(reason);
    this->owner_.loop_ended();
  }

  config_type config_;
  context<protocol> ctx_;
  std::optional<Actor> behavior_;
  restart_window window_;
};

template <class Actor>
boost::system::result<actor_ref<typename Actor::protocol>> runtime::spawn(std::string name, typename Actor::config config,
                                                                          spawn_options options) {
  return spawn_under<Actor>(nullptr, std::move(name), std::move(config), options, clock_->now());
}

template <class Actor>
boost::system::result<actor_ref<typename Actor::protocol>> runtime::spawn_under(const std::shared_ptr<actor_cell>& parent,
                                                                                std::string name,
                                                                                typename Actor::config config,
                                                                                spawn_options options,
                                                                                clock::time_point born) {
  using protocol = typename Actor::protocol;
  if (replaying_) {
    // During replay, a parent re-spawning a child meets the child the trace already rebuilt.
    if (auto existing = find_as<protocol>(name)) return existing;
  }
  auto cell = std::make_shared<actor_cell_t<Actor>>(*this, std::move(name), parent, std::move(config), options, born);
  if (auto r = register_cell(cell); !r) return r.error();
  if (trace_ != nullptr) trace_->on_spawn(born, cell->name(), cell->kind(), boost::json::value_from(cell->config()));
  if (parent) parent->adopt(cell);
  loop_started();
  boost::asio::co_spawn(cell->strand(), actor_cell_t<Actor>::run(cell), boost::asio::detached);
  return actor_ref<protocol>(cell);
}

}  // namespace spence::actors
