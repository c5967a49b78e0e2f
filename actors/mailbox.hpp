#pragma once
// A bounded, multi-producer single-consumer mailbox with the two overflow policies of the design:
//  - control: a full mailbox refuses try_push; async_push waits for space (backpressure);
//  - realtime: a full mailbox drops its oldest message and counts it; pushes never wait.
// Storage grows on demand up to the capacity, so an idle actor pays for a handful of slots, not
// for its whole bound. force_push exists for runtime notifications (an actor terminated) that must
// not be lost; their number is bounded by the number of watches, not by traffic.

#include "actors/error.hpp"
#include "actors/wake_batch.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include <cstddef>
#include <cstdint>
#include <list>
#include <mutex>
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

  mailbox(boost::asio::any_io_executor ex, std::size_t capacity, overflow_policy policy)
      : ex_(std::move(ex)), capacity_(capacity == 0 ? 1 : capacity), policy_(policy) {}

  mailbox(const mailbox&) = delete;
  mailbox& operator=(const mailbox&) = delete;

  overflow_policy policy() const { return policy_; }

  // ok, or mailbox_full (control policy only) or actor_stopped.
  boost::system::error_code try_push(T&& value) {
    std::unique_lock lock(mutex_);
    if (closed_) return errc::actor_stopped;
    if (size_ == capacity_) {
      if (policy_ == overflow_policy::control) return errc::mailbox_full;
      pop_front_locked();
      ++dropped_;
    }
    push_back_locked(std::move(value));
    wake_receiver(lock);
    return {};
  }

  void force_push(T&& value) {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    push_back_locked(std::move(value));
    wake_receiver(lock);
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
          wake_receiver(lock);
          complete(std::move(handler), {});
        },
        token, std::move(value));
  }

  std::optional<T> try_pop() {
    std::unique_lock lock(mutex_);
    if (size_ == 0) return std::nullopt;
    std::optional<T> out(std::move(*slots_[head_]));
    pop_front_locked();
    if (!waiting_senders_.empty()) {
      auto sender = std::move(waiting_senders_.front());
      waiting_senders_.pop_front();
      push_back_locked(std::move(sender.value));
      lock.unlock();
      complete(std::move(sender.handler), {});
    }
    return out;
  }

  // Completes when a message may be available, when interrupt() is called, or (with
  // actor_stopped) when the mailbox is closed. One waiter at a time: the owning actor.
  template <class Token>
  auto async_wait(Token&& token) {
    return boost::asio::async_initiate<Token, wait_signature>(
        [this](auto handler) {
          std::unique_lock lock(mutex_);
          if (size_ > 0 || closed_ || interrupted_) {
            auto ec = closed_ ? make_error_code(errc::actor_stopped) : boost::system::error_code{};
            interrupted_ = false;
            lock.unlock();
            complete(std::move(handler), ec);
            return;
          }
          receiver_.emplace(bind_waiter(std::move(handler)));
        },
        token);
  }

  // Wakes the waiting receiver without a message (the runtime has a request for the actor).
  void interrupt() {
    std::unique_lock lock(mutex_);
    interrupted_ = true;
    wake_receiver(lock);
  }

  // Refuses further pushes, fails waiting senders, wakes the receiver, discards what is queued.
  void close() {
    std::unique_lock lock(mutex_);
    if (closed_) return;
    closed_ = true;
    auto senders = std::move(waiting_senders_);
    waiting_senders_.clear();
    while (size_ > 0) pop_front_locked();
    wake_receiver(lock);
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
  // A suspended operation: its type-erased handler and the executor it must complete on.
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
    slots_[(head_ + size_) % slots_.size()].emplace(std::move(value));
    ++size_;
    if (size_ > high_water_) high_water_ = size_;
  }

  void pop_front_locked() {
    slots_[head_].reset();
    head_ = (head_ + 1) % slots_.size();
    --size_;
  }

  // Doubles the ring, keeping order. force_push may grow past the capacity.
  void grow_locked() {
    std::vector<std::optional<T>> bigger(slots_.empty() ? 4 : slots_.size() * 2);
    for (std::size_t i = 0; i < size_; ++i) bigger[i] = std::move(slots_[(head_ + i) % slots_.size()]);
    slots_ = std::move(bigger);
    head_ = 0;
  }

  // Releases the lock; posts the receiver's completion if it is waiting.
  void wake_receiver(std::unique_lock<std::mutex>& lock) {
    if (!receiver_) {
      lock.unlock();
      return;
    }
    waiter handler(std::move(*receiver_));
    receiver_.reset();
    auto ec = closed_ ? make_error_code(errc::actor_stopped) : boost::system::error_code{};
    interrupted_ = false;
    lock.unlock();
    complete(std::move(handler), ec);
  }

  void complete(waiter w, boost::system::error_code ec) {
    wake_batch::here().add({std::move(w.handler), std::move(w.ex), ec});
  }
  template <class Handler>
  void complete(Handler&& handler, boost::system::error_code ec) {
    complete(bind_waiter(std::forward<Handler>(handler)), ec);
  }

  boost::asio::any_io_executor ex_;
  const std::size_t capacity_;
  const overflow_policy policy_;
  mutable std::mutex mutex_;
  std::vector<std::optional<T>> slots_;
  std::size_t head_ = 0;
  std::size_t size_ = 0;
  std::size_t high_water_ = 0;
  std::uint64_t dropped_ = 0;
  bool closed_ = false;
  bool interrupted_ = false;
  std::optional<waiter> receiver_;
  std::list<waiting_sender> waiting_senders_;
};

}  // namespace spence::actors
