#pragma once
// The actor loop: each actor drains its bounded mailbox on its strand, calling the behaviour's
// handlers, applying supervision when they throw, and reporting to the trace. Include this header
// to spawn actors.
//
// An actor with nothing to do is parked, not suspended: no coroutine frame waits. A message for a
// parked actor schedules its drain (a plain function on its strand), which handles synchronous
// handlers inline, one after another. Only a handler that awaits, or sends held back by a full
// mailbox, hand the message over to a coroutine, which then returns the actor to draining.
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

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/defer.hpp>
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

  // Runs on the strand once, after the spawn: constructs the behaviour, then drains what is
  // already queued.
  void start() {
    if (auto failure = construct(); !failure.empty()) end_ = apply_policy(failure, "its construction");
    if (!end_.empty()) return terminate(end_);
    drain();
  }

  // A message (or a request) reached the parked actor.
  void schedule_drain(bool as_continuation) override {
    auto run = [self = shared_self()] { self->drain(); };
    if (as_continuation) boost::asio::defer(this->strand_, std::move(run));
    else boost::asio::post(this->strand_, std::move(run));
  }

 private:
  enum class outcome { handled, parked, awaiting, ended };

  std::shared_ptr<actor_cell_t> shared_self() { return std::static_pointer_cast<actor_cell_t>(this->shared_from_this()); }

  // Handles messages until the mailbox is empty (the actor parks), a message needs the coroutine,
  // or the actor ends.
  void drain() {
    // One clock reading per message: the end of one handler is the start of the next.
    auto reading = std::chrono::steady_clock::now();
    // Strands share threads: an actor with a full mailbox yields after a batch.
    for (int handled = 0; handled < 64; ++handled) {
      switch (step(reading)) {
        case outcome::handled:
          continue;
        case outcome::parked:
          return;
        case outcome::awaiting:
          boost::asio::co_spawn(this->strand_, complete_awaiting(shared_self()), boost::asio::detached);
          return;
        case outcome::ended:
          return terminate(end_);
      }
    }
    schedule_drain(false);
  }

  // Serves pending requests, then takes one message and handles it if nothing must be awaited.
  // `reading` is the latest steady-clock reading; handling a message moves it to the handler's end.
  outcome step(std::chrono::steady_clock::time_point& reading) {
    auto requests = this->take_requests();  // cheap when there are none
    if (!requests.child_failure.empty()) end_ = handle_child_failure(requests.child_failure);
    if (!requests.stop_reason.empty() && end_.empty()) end_ = requests.stop_reason;
    if (!end_.empty()) return outcome::ended;

    using take_status = typename mailbox<protocol>::take_status;
    this->busy_.store(true, std::memory_order_release);
    std::optional<protocol> message;
    if (auto status = this->mailbox_.take(message); status != take_status::message) {
      this->busy_.store(false, std::memory_order_release);
      if (status == take_status::parked) return outcome::parked;
      if (status == take_status::interrupted) return outcome::handled;  // requests: at the next step
      end_ = "mailbox closed";
      return outcome::ended;
    }
    auto handled = begin_and_handle(*message, reading);
    if (!handled.needs_await) {
      supervise(handled);
      if (!ctx_.holds_sends()) {
        reading = finish_message(handled);
        return end_.empty() ? outcome::handled : outcome::ended;
      }
    }
    awaiting_.emplace(std::move(*message), std::move(handled));
    return outcome::awaiting;
  }

  // The rest of a message that awaits its handler, or whose sends are held: then back to draining.
  // `self` is a parameter so that the coroutine frame owns the cell.
  static boost::asio::awaitable<void> complete_awaiting(std::shared_ptr<actor_cell_t> self) {
    co_await self->finish_awaiting();
  }
  boost::asio::awaitable<void> finish_awaiting() {
    auto& [message, handled] = *awaiting_;
    if (handled.needs_await) {
      try {
        co_await dispatch_async(message);
      } catch (...) {
        handled.failure = current_failure();
      }
      supervise(handled);
    }
    if (ctx_.holds_sends()) co_await ctx_.flush_outbox();
    finish_message(handled);
    awaiting_.reset();
    if (!end_.empty()) co_return terminate(end_);
    schedule_drain(false);
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

  // Records the message, then runs its handler if that handler is synchronous. `reading` is a
  // steady-clock reading taken just now: with the real clock it is also the message's time.
  handling begin_and_handle(protocol& message, std::chrono::steady_clock::time_point reading) {
    handling h;
    h.type = &protocol_codec<protocol>::name_of(message);
    auto* trace = this->owner_.trace();
    ctx_.set_time(this->owner_.clock_is_steady()
                      ? std::chrono::duration_cast<clock::duration>(reading.time_since_epoch())
                      : this->owner_.clock().now());
    h.started = reading;
    if (trace != nullptr) {
      thread_local std::string payload;
      payload.clear();
      protocol_codec<protocol>::append_payload(payload, message);
      h.seq = trace->on_message(ctx_.now(), this->name_, *h.type, payload);
      h.started = std::chrono::steady_clock::now();  // the handler's time leaves the trace's out
    }
    ctx_.begin_message(trace != nullptr);
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

  // A handler failed: the supervision policy decides whether the actor carries on.
  void supervise(const handling& h) {
    if (!h.failure.empty()) end_ = apply_policy(h.failure, "handling " + *h.type);
  }

  // Counts the message and writes its checkpoint; end_ is set if the actor stops. Returns the
  // steady-clock reading of the handler's end.
  std::chrono::steady_clock::time_point finish_message(const handling& h) {
    auto reading = std::chrono::steady_clock::now();
    this->handler_time_.record(static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(reading - h.started).count()));
    // Single writer (this strand): a plain load and store, not a read-modify-write.
    this->processed_.store(this->processed_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    auto outputs = ctx_.end_message();
    if (auto* trace = this->owner_.trace(); trace != nullptr && (!outputs.empty() || !h.failure.empty()))
      trace->on_checkpoint(h.seq, this->name_, outputs, h.failure);
    if (end_.empty() && ctx_.stop_requested()) end_ = "stopped itself";
    this->busy_.store(false, std::memory_order_release);
    return reading;
  }

  // A child escalated its failure: this actor fails in turn. Recorded like a message so that replay
  // reproduces it at the same point.
  std::string handle_child_failure(const std::string& reason) {
    auto* trace = this->owner_.trace();
    ctx_.set_time(this->owner_.clock().now());
    std::uint64_t seq = 0;
    if (trace != nullptr) {
      std::string payload;
      append_as_json(payload, child_failure{reason});
      seq = trace->on_message(ctx_.now(), this->name_, message_name<child_failure>(), payload);
    }
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
    this->release_self();  // the drain or coroutine running this still holds the cell
  }

  config_type config_;
  context<protocol> ctx_;
  std::optional<Actor> behavior_;
  restart_window window_;
  std::string end_;  // why the actor ends; empty while it runs
  std::optional<std::pair<protocol, handling>> awaiting_;  // the message the coroutine completes
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
  cell->hold_self();
  boost::asio::post(cell->strand(), [cell] { cell->start(); });
  return actor_ref<protocol>(cell);
}

}  // namespace spence::actors
