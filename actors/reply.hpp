#pragma once
// Request/reply: a request message carries a reply_to<R>; ask() sends it and awaits the reply
// with a timeout. A reply that arrives after the timeout (or a second reply) is dropped.

#include "actors/actor_ref.hpp"
#include "actors/clock.hpp"
#include "actors/error.hpp"

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <mutex>
#include <optional>

namespace spence::actors {

namespace detail {

template <class R>
class reply_slot {
 public:
  using signature = void(boost::system::result<R>);

  // The first completion wins; later ones are dropped. Returns whether this one won.
  bool complete(boost::system::result<R> r) {
    std::unique_lock lock(mutex_);
    if (done_) return false;
    done_ = true;
    if (!waiter_) {
      result_.emplace(std::move(r));
      return true;
    }
    auto waiter(std::move(*waiter_));
    waiter_.reset();
    auto ex = std::move(waiter_ex_);
    lock.unlock();
    boost::asio::post(ex, [h = std::move(waiter), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
    return true;
  }

  template <class Token>
  auto async_wait(Token&& token) {
    return boost::asio::async_initiate<Token, signature>(
        [this](auto handler) {
          std::unique_lock lock(mutex_);
          auto ex = boost::asio::get_associated_executor(handler, boost::asio::system_executor());
          if (!result_) {
            waiter_ex_ = ex;
            waiter_.emplace(std::move(handler));
            return;
          }
          auto r = std::move(*result_);
          lock.unlock();
          boost::asio::post(ex, [h = std::move(handler), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
        },
        token);
  }

 private:
  std::mutex mutex_;
  bool done_ = false;
  std::optional<boost::system::result<R>> result_;
  // In an optional because Asio 1.26's any_completion_handler must not be move-assigned (mailbox.hpp).
  std::optional<boost::asio::any_completion_handler<signature>> waiter_;
  boost::asio::any_io_executor waiter_ex_;  // where waiter_ completes
};

}  // namespace detail

template <class R>
class reply_to {
 public:
  reply_to() = default;  // inert: what a replayed request carries
  explicit reply_to(std::shared_ptr<detail::reply_slot<R>> slot) : slot_(std::move(slot)) {}

  // Delivers the reply; returns false if nobody waits any more (timed out, replied, or inert).
  bool send(R value) const { return slot_ && slot_->complete(std::move(value)); }

 private:
  std::shared_ptr<detail::reply_slot<R>> slot_;
};

// A reply slot is a live connection, not data: it is recorded as null and replays inert.
template <class R>
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const reply_to<R>&) {
  jv = nullptr;
}
template <class R>
reply_to<R> tag_invoke(const boost::json::value_to_tag<reply_to<R>>&, const boost::json::value&) {
  return {};
}

clock& runtime_clock(runtime& rt);

// Sends make_request(reply_to<R>) to `target` (without waiting for mailbox space) and awaits the
// reply. Errors: those of try_send, or ask_timeout.
template <class R, class Protocol, class MakeRequest>
boost::asio::awaitable<boost::system::result<R>> ask(const actor_ref<Protocol>& target, MakeRequest make_request,
                                                     clock::duration timeout) {
  auto slot = std::make_shared<detail::reply_slot<R>>();
  if (auto ec = target.try_send(make_request(reply_to<R>{slot}))) co_return ec;
  auto& clk = runtime_clock(target.cell()->owner());
  auto ex = co_await boost::asio::this_coro::executor;
  auto timer = clk.schedule(clk.now() + timeout, ex, [slot] { slot->complete(make_error_code(errc::ask_timeout)); });
  auto r = co_await slot->async_wait(boost::asio::use_awaitable);
  timer.cancel();
  co_return r;
}

}  // namespace spence::actors
