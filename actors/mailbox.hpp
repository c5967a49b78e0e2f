#pragma once
// A bounded, multi-producer single-consumer mailbox with the two overflow policies of the design:
//  - control: a full mailbox refuses try_push; async_push waits for space (backpressure);
//  - realtime: a full mailbox drops its oldest message and counts it; pushes never wait.
// Storage grows on demand up to the capacity, so an idle actor pays for a handful of slots, not
// for its whole bound. force_push exists for runtime notifications (an actor terminated) that must
// not be lost; their number is bounded by the number of watches, not by traffic.
//
// The consumer is not a waiting operation but a wake_target: when take() finds nothing the
// consumer parks, and the next push (or interrupt) schedules its drain through the wake batch.
// Nothing type-erased is stored or resumed per message.

#include "actors/error.hpp"
#include "actors/spin_lock.hpp"
#include "actors/wake_batch.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>  // std::unique_lock, std::lock_guard
#include <optional>
#include <utility>
#include <vector>

namespace spence::actors {

enum class overflow_policy { control, realtime };

struct mailbox_stats {
  std::size_t depth = 0;
  std::size_t high_water = 0;
  std::size_t capacity = 0;
  std::uint64_t dropped = 0;
};

template <class T>
class mailbox {
 public:
  using wait_signature = void(boost::system::error_code);

  // `ex` completes waiting senders that bring no executor of their own.
  mailbox(boost::asio::any_io_executor ex, wake_target& consumer, std::size_t capacity, overflow_policy policy)
      : ex_(std::move(ex)), consumer_(consumer), capacity_(capacity == 0 ? 1 : capacity), policy_(policy) {}

  mailbox(const mailbox&) = delete;
  mailbox& operator=(const mailbox&) = delete;

  overflow_policy policy() const { return policy_; }

  // ok, or mailbox_full (control policy only) or actor_stopped. `value` is moved from only when
  // it is queued: a refused value is still the caller's.
  boost::system::error_code try_push(T&& value) {
    std::unique_lock lock(mutex_);
    if (closed_) return errc::actor_stopped;
    if (size_ == capacity_) {
      if (policy_ == overflow_policy::control) return errc::mailbox_full;
      pop_front_locked();
      ++dropped_;
    }
    push_back_locked(std::move(value));
    wake_consumer(lock);
    return {};
  }

  void force_push(T&& value) {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    push_back_locked(std::move(value));
    wake_consumer(lock);
  }

  // Control policy: completes once the value is queued, or with actor_stopped.
  template <class Token>
  auto async_push(T value, Token&& token) {
    return boost::asio::async_initiate<Token, wait_signature>(
        [this](auto handler, T value) {
          std::unique_lock lock(mutex_);
          if (closed_) {
            lock.unlock();
            complete(std::move(handler), errc::actor_stopped);
            return;
          }
          if (size_ == capacity_ && policy_ == overflow_policy::control) {
            waiting_senders_.push_back({std::move(value), bind_waiter(std::move(handler))});
            return;
          }
          if (size_ == capacity_) {
            pop_front_locked();
            ++dropped_;
          }
          push_back_locked(std::move(value));
          wake_consumer(lock);
          complete(std::move(handler), {});
        },
        token, std::move(value));
  }

  enum class take_status {
    message,      // `out` holds the next message
    parked,       // none queued: the consumer is parked until the next push or interrupt()
    interrupted,  // interrupt() came since the last take: the consumer has requests to serve
    closed,
  };
  // The consumer's next step. The consumer starts unparked: it is about to take.
  take_status take(std::optional<T>& out) {
    std::unique_lock lock(mutex_);
    if (closed_) return take_status::closed;
    if (std::exchange(interrupted_, false)) return take_status::interrupted;
    if (size_ == 0) {
      parked_ = true;
      return take_status::parked;
    }
    out.emplace(std::move(*slots_[head_]));
    pop_front_locked();
    if (!waiting_senders_.empty()) {
      auto sender = std::move(waiting_senders_.front());
      waiting_senders_.pop_front();
      push_back_locked(std::move(sender.value));
      lock.unlock();
      complete(std::move(sender.handler), {});
    }
    return take_status::message;
  }

  // Tells the consumer, without a message, that it has something to do (a runtime request).
  void interrupt() {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    interrupted_ = true;
    wake_consumer(lock);
  }

  // Refuses further pushes, fails waiting senders, discards what is queued. The consumer closes
  // its own mailbox as it ends (or the runtime does, abandoning it), so it is not woken.
  void close() {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    closed_ = true;
    auto senders = std::move(waiting_senders_);
    waiting_senders_.clear();
    while (size_ > 0) pop_front_locked();
    lock.unlock();
    for (auto& s : senders) complete(std::move(s.handler), errc::actor_stopped);
  }

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }

  mailbox_stats stats() const {
    std::lock_guard lock(mutex_);
    return {size_, high_water_, capacity_, dropped_};
  }

 private:
  // A suspended send: its type-erased handler and the executor it must complete on.
  // Never move-assigned: Asio 1.26's any_completion_handler::operator=(&&) wraps its source in a
  // new handler instead of moving it, and recurses without end. Waiters are only move-constructed.
  struct waiter {
    boost::asio::any_completion_handler<wait_signature> handler;
    boost::asio::any_io_executor ex;
  };
  struct waiting_sender {
    T value;
    waiter handler;
  };

  template <class Handler>
  waiter bind_waiter(Handler&& h) {
    auto ex = boost::asio::get_associated_executor(h, ex_);
    return waiter{std::forward<Handler>(h), ex};
  }

  void push_back_locked(T&& value) {
    if (size_ == slots_.size()) grow_locked();
    slots_[(head_ + size_) & (slots_.size() - 1)].emplace(std::move(value));
    ++size_;
    if (size_ > high_water_) high_water_ = size_;
  }

  void pop_front_locked() {
    slots_[head_].reset();
    head_ = (head_ + 1) & (slots_.size() - 1);
    --size_;
  }

  // Doubles the ring, keeping order; its size stays a power of two, so indices wrap with a mask.
  // force_push may grow past the capacity.
  void grow_locked() {
    std::vector<std::optional<T>> bigger(slots_.empty() ? 4 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) & (slots_.size() - 1)]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  // Releases the lock; schedules the consumer's drain if it is parked.
  void wake_consumer(std::unique_lock<spin_lock>& lock) {
    bool was_parked = std::exchange(parked_, false);
    lock.unlock();
    if (was_parked) wake_batch::here().add(consumer_);
  }

  // Senders wait only under backpressure: their completions are simply posted.
  static void complete(waiter w, boost::system::error_code ec) {
    boost::asio::post(w.ex, [h = std::move(w.handler), ec]() mutable { std::move(h)(ec); });
  }
  template <class Handler>
  void complete(Handler&& handler, boost::system::error_code ec) {
    complete(bind_waiter(std::forward<Handler>(handler)), ec);
  }

  boost::asio::any_io_executor ex_;
  wake_target& consumer_;
  const std::size_t capacity_;
  const overflow_policy policy_;
  mutable spin_lock mutex_;
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::size_t high_water_ = 0;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
  bool interrupted_ = false;
  bool parked_ = false;
  std::list<waiting_sender> waiting_senders_;
};

}  // namespace spence::actors
