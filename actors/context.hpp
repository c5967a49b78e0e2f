#pragma once
// What an actor's handlers see of the runtime: their name, the clock, and every way to act on the
// world. All outputs go through here so that, when tracing, each message's outputs are digested
// into one checkpoint, and so that replay can perform none of them.

#include "actors/actor_ref.hpp"
#include "actors/digest.hpp"
#include "actors/json_text.hpp"
#include "actors/message.hpp"
#include "actors/reply.hpp"
#include "actors/runtime.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>
#include <boost/system/system_error.hpp>

#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace spence::actors {

template <class Protocol>
class context {
 public:
  explicit context(typed_cell<Protocol>& cell) : cell_(cell) {}
  context(const context&) = delete;
  context& operator=(const context&) = delete;

  const std::string& name() const { return cell_.name(); }
  // The time of the message being handled (when it was taken from the mailbox) or, in a
  // constructor, of the spawn. Frozen for the handler's duration: that is what replay reproduces.
  clock::time_point now() const { return now_; }
  runtime& owner() const { return cell_.owner(); }
  actor_ref<Protocol> self() const {
    return actor_ref<Protocol>(std::static_pointer_cast<typed_cell<Protocol>>(cell_.shared_from_this()));
  }

  // Queues `message` for `to`. A full control mailbox does not lose it: the send is held, and this
  // actor takes no further message until the target has room (backpressure). Sending to a stopped
  // actor does nothing.
  template <class P, class M>
  void send(const actor_ref<P>& to, M&& message) {
    if (digesting_) record_output("send", to ? std::string_view(to.name()) : std::string_view(), message_name<std::decay_t<M>>(), message);
    if (owner().replaying() || !to) return;
    P value{std::forward<M>(message)};
    if (outbox_.empty()) {
      auto ec = to.cell()->box().try_push(std::move(value));
      if (ec != errc::mailbox_full) return;
    }
    outbox_.push_back(std::make_unique<held_send<P>>(to.cell(), std::move(value)));
  }

  template <class R>
  void reply(const reply_to<R>& to, R value) {
    if (digesting_) record_output("reply", "", message_name<R>(), value);
    if (!owner().replaying()) to.send(std::move(value));
  }

  // Delivers `message` to this actor after `delay`. Timers end with the actor and with a restart.
  template <class M>
  timer_handle send_after(clock::duration delay, M message) {
    if (owner().replaying()) return {};  // the recorded firing is replayed as a message
    std::erase_if(timers_, [](const pending_timer& t) { return *t.fired || t.handle.cancelled(); });
    auto fired = std::make_shared<bool>(false);
    std::weak_ptr<typed_cell<Protocol>> weak = self().cell();
    auto handle = owner().clock().schedule(now() + delay, cell_.strand(), [weak, fired, m = Protocol{std::move(message)}] {
      *fired = true;
      if (auto c = weak.lock()) c->box().force_push(Protocol{m});
    });
    timers_.push_back({handle, fired});
    return handle;
  }

  // Sends bytes out of the system through the effect sink registered under `sink`.
  void emit(std::string_view sink, std::span<const std::byte> bytes) {
    if (digesting_) {
      add_field("emit");
      add_field(sink);
      outputs_text_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
      outputs_ = true;
    }
    if (owner().replaying()) return;
    auto* target = owner().find_effect_sink(sink);
    if (target == nullptr) throw std::runtime_error("no effect sink named '" + std::string(sink) + "'");
    target->write(bytes);
  }
  void emit(std::string_view sink, std::string_view text) { emit(sink, std::as_bytes(std::span(text.data(), text.size()))); }

  // Spawns a child named "<this actor's name>/<child>". Throws system_error on a name clash.
  template <class A>
  actor_ref<typename A::protocol> spawn(std::string_view child, typename A::config config = {},
                                        spawn_options options = {}) {
    auto r = owner().template spawn_under<A>(cell_.shared_from_this(), name() + "/" + std::string(child),
                                             std::move(config), options, now());
    if (!r) throw boost::system::system_error(r.error(), "spawn " + name() + "/" + std::string(child));
    return *r;
  }

  // This actor receives `terminated` when `other` ends.
  template <class P>
  void watch(const actor_ref<P>& other) {
    static_assert(std::is_constructible_v<Protocol, terminated>, "the watcher's protocol must accept terminated");
    if (owner().replaying() || !other) return;
    std::weak_ptr<typed_cell<Protocol>> weak = self().cell();
    other.cell()->on_terminated([weak](const terminated& t) {
      if (auto c = weak.lock()) c->box().force_push(Protocol{t});
    });
  }

  // Terminates this actor after the current message.
  void stop() { stop_requested_ = true; }

  // --- for the actor loop ---
  void set_time(clock::time_point t) { now_ = t; }
  void begin_message(bool digest) {
    digesting_ = digest;
    outputs_ = false;
    outputs_text_.clear();
  }
  // The digest of this message's outputs, empty if it had none. The outputs are gathered as text
  // and hashed once: one SHA-256 call per message rather than several per send.
  std::string end_message() {
    bool had = digesting_ && outputs_;
    digesting_ = false;
    if (!had) return {};
    thread_local sha256 hash;
    hash.add(outputs_text_);
    auto hex = hash.finish_hex();
    // Don't hoard, but keep what a fan-out to a thousand actors needs (about 70 KiB): freeing and
    // regrowing it for every such message cost more than the digest.
    if (outputs_text_.capacity() > 256 * 1024) std::string().swap(outputs_text_);
    return hex;
  }
  bool stop_requested() const { return stop_requested_; }
  bool holds_sends() const { return !outbox_.empty(); }
  // Delivers the held sends in order. Only a send whose target is still full waits; the rest
  // go straight in, without a suspension each.
  boost::asio::awaitable<void> flush_outbox() {
    for (auto& s : outbox_)
      if (!s->try_deliver()) co_await s->deliver();
    outbox_.clear();
  }
  void cancel_timers() {
    for (auto& t : timers_) t.handle.cancel();
    timers_.clear();
  }

 private:
  struct held_send_base {
    virtual ~held_send_base() = default;
    // Queues the value unless the target is still full (a stopped target takes nothing: done).
    virtual bool try_deliver() = 0;
    // Waits for room, then queues the value.
    virtual boost::asio::awaitable<void> deliver() = 0;
  };
  template <class P>
  struct held_send final : held_send_base {
    held_send(std::shared_ptr<typed_cell<P>> c, P v) : cell(std::move(c)), value(std::move(v)) {}
    bool try_deliver() override {
      return cell->box().try_push(std::move(value)) != errc::mailbox_full;
    }
    boost::asio::awaitable<void> deliver() override {
      co_await cell->box().async_push(std::move(value), boost::asio::as_tuple(boost::asio::use_awaitable));
    }
    std::shared_ptr<typed_cell<P>> cell;
    P value;
  };
  struct pending_timer {
    timer_handle handle;
    std::shared_ptr<bool> fired;  // written and read on the actor's strand only
  };

  template <class V>
  void record_output(std::string_view what, std::string_view target, std::string_view type, const V& value) {
    add_field(what);
    add_field(target);
    add_field(type);
    append_as_json(outputs_text_, value);
    outputs_text_.push_back('\x1f');
    outputs_ = true;
  }
  // Fields are separated so that ("ab", "c") and ("a", "bc") digest differently.
  void add_field(std::string_view text) {
    outputs_text_.append(text);
    outputs_text_.push_back('\x1f');
  }

  typed_cell<Protocol>& cell_;
  clock::time_point now_{0};
  std::vector<std::unique_ptr<held_send_base>> outbox_;
  std::vector<pending_timer> timers_;
  std::string outputs_text_;  // this message's outputs, while tracing
  bool digesting_ = false;
  bool outputs_ = false;
  bool stop_requested_ = false;
};

}  // namespace spence::actors
