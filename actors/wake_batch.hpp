#pragma once
// How parked actors are woken: a message (or a request) for an actor whose mailbox was empty
// schedules that actor's drain on its strand.

#include <utility>

namespace spence::actors {

// What a mailbox wakes when a message reaches its parked consumer: the actor's drain.
class wake_target {
 public:
  // Schedules the drain on the actor's strand: posted, or, as a continuation of the calling
  // thread's current work, deferred (it runs on this thread right after, without waking another).
  virtual void schedule_drain(bool as_continuation) = 0;

 protected:
  ~wake_target() = default;
};

// Wakes caused by an actor's synchronous handler are scheduled smartly. A handler that wakes
// exactly one actor (a ping-pong, a pipeline stage) hands it over as a continuation: it runs on this
// thread right after (asio::defer), with no futex wake of another thread per hop. A handler that
// wakes several (a fan-out) posts them all, so the pool shares the work. The first wake is held
// until the handler ends or a second one comes. Outside handlers every wake is posted.
//
// A held target stays alive until close(): a parked actor is kept alive by its own cell until it
// terminates, and it can only terminate in its drain, which is not scheduled before close().
class wake_batch {
 public:
  // The calling thread's batch.
  static wake_batch& here() {
    thread_local wake_batch batch;
    return batch;
  }
  void open() { open_ = true; }
  // Schedules or holds the wake of `target`.
  void add(wake_target& target) {
    if (!open_) return target.schedule_drain(false);
    if (held_ == nullptr) {
      held_ = &target;
      return;
    }
    std::exchange(held_, nullptr)->schedule_drain(false);
    target.schedule_drain(false);
    open_ = false;  // a fan-out: the rest of this handler's wakes are posted too
  }
  // The handler ended: a single held wake continues on this thread.
  void close() {
    open_ = false;
    if (held_ != nullptr) std::exchange(held_, nullptr)->schedule_drain(true);
  }

 private:
  bool open_ = false;
  wake_target* held_ = nullptr;
};

}  // namespace spence::actors
