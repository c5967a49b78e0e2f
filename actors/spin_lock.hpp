#pragma once
// A lock for critical sections of a few dozen instructions (a mailbox's ring): one atomic exchange
// to take, one store to release, where a std::mutex costs a locked read-modify-write each way.
// Waiters spin briefly, then yield the core, so a holder preempted on a busy machine is not
// starved by the threads waiting for it.

#include <atomic>
#include <thread>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

namespace spence::actors {

class spin_lock {
 public:
  void lock() {
    for (int spins = 0; locked_.exchange(true, std::memory_order_acquire);) {
      // Wait on a plain load, so waiting does not bounce the cache line between cores.
      while (locked_.load(std::memory_order_relaxed)) {
        if (spins++ < 64) relax();
        else std::this_thread::yield();
      }
    }
  }
  void unlock() { locked_.store(false, std::memory_order_release); }

 private:
  static void relax() {
#if defined(__x86_64__) || defined(__i386__)
    _mm_pause();
#endif
  }
  std::atomic<bool> locked_{false};
};

}  // namespace spence::actors
