#include "actors/clock.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace spence::actors {

clock::time_point real_clock::now() const {
  return std::chrono::duration_cast<time_point>(std::chrono::steady_clock::now().time_since_epoch());
}

timer_handle real_clock::schedule(time_point deadline, boost::asio::any_io_executor ex,
                                  std::function<void()> fn) {
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  auto timer = std::make_shared<boost::asio::steady_timer>(
      ex, std::chrono::steady_clock::time_point{
              std::chrono::duration_cast<std::chrono::steady_clock::duration>(deadline)});
  timer->async_wait([timer, cancelled, fn = std::move(fn)](boost::system::error_code) {
    if (!cancelled->load(std::memory_order_acquire)) fn();
  });
  // Cancelling the Asio timer too, on its executor (timers are not thread-safe), so that nothing
  // waits for a cancelled deadline.
  std::weak_ptr<boost::asio::steady_timer> weak = timer;
  return timer_handle{std::move(cancelled), [weak, ex] {
                        boost::asio::post(ex, [weak] {
                          if (auto t = weak.lock()) t->cancel();
                        });
                      }};
}

timer_handle virtual_clock::schedule(time_point deadline, boost::asio::any_io_executor ex,
                                     std::function<void()> fn) {
  auto cancelled = std::make_shared<std::atomic<bool>>(false);
  std::lock_guard lock(mutex_);
  timers_.emplace(deadline, pending{std::move(ex), std::move(fn), cancelled});
  return timer_handle{std::move(cancelled)};
}

std::optional<clock::time_point> virtual_clock::next_deadline() {
  std::lock_guard lock(mutex_);
  while (!timers_.empty() && timers_.begin()->second.cancelled->load()) timers_.erase(timers_.begin());
  if (timers_.empty()) return std::nullopt;
  return timers_.begin()->first;
}

std::size_t virtual_clock::advance_to(time_point t) {
  std::size_t fired = 0;
  for (;;) {
    pending due;
    {
      std::lock_guard lock(mutex_);
      if (timers_.empty() || timers_.begin()->first > t) break;
      auto it = timers_.begin();
      due = std::move(it->second);
      timers_.erase(it);
    }
    if (due.cancelled->load(std::memory_order_acquire)) continue;
    auto ex = due.ex;
    boost::asio::post(ex, [fn = std::move(due.fn), cancelled = std::move(due.cancelled)] {
      if (!cancelled->load(std::memory_order_acquire)) fn();
    });
    ++fired;
  }
  if (t > now()) set(t);
  return fired;
}

}  // namespace spence::actors
