#pragma once
// How the wake-ups of waiting mailbox operations are scheduled.

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>
#include <boost/system/error_code.hpp>

#include <optional>

namespace spence::actors {

// Wake-ups caused by an actor's synchronous handler are scheduled smartly. A handler that wakes
// exactly one actor (a ping-pong, a pipeline stage) hands it over as a continuation: it runs on this
// thread right after (asio::defer), with no futex wake of another thread per hop. A handler that
// wakes several (a fan-out) posts them all, so the pool shares the work. The first wake is held
// until the handler ends or a second one comes. Outside handlers every wake is posted.
class wake_batch {
 public:
  struct wake {
    boost::asio::any_completion_handler<void(boost::system::error_code)> handler;
    boost::asio::any_io_executor ex;
    boost::system::error_code ec;
  };

 private:
  // The function that completes the waiting operation.
  static auto resumption(wake&& w) {
    return [h = std::move(w.handler), ec = w.ec]() mutable { std::move(h)(ec); };
  }

 public:

  // The calling thread's batch.
  static wake_batch& here() {
    thread_local wake_batch batch;
    return batch;
  }
  void open() { open_ = true; }
  // Schedules or holds `w`.
  void add(wake&& w) {
    if (!open_) return post(std::move(w));
    if (!held_) return void(held_.emplace(std::move(w)));
    post(take_held());
    post(std::move(w));
    open_ = false;  // a fan-out: the rest of this handler's wakes are posted too
  }
  // The handler ended: a single held wake continues on this thread.
  void close() {
    open_ = false;
    if (held_) {
      auto w = take_held();
      auto ex = w.ex;
      boost::asio::defer(ex, resumption(std::move(w)));
    }
  }

 private:
  // Moved out by construction: Asio 1.26's any_completion_handler must not be move-assigned.
  wake take_held() {
    wake w(std::move(*held_));
    held_.reset();
    return w;
  }
  static void post(wake&& w) { boost::asio::post(w.ex, resumption(std::move(w))); }
  bool open_ = false;
  std::optional<wake> held_;
};

}  // namespace spence::actors
