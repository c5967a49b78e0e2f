#pragma once
// What Lavalink's stats report about the machine and the process, read from /proc: memory (the
// JVM's four heap figures have no native twin, so: used and allocated are the resident set,
// free is 0, reservable is the machine's memory) and CPU load (the whole system's and the
// process's share of all cores, each in [0, 1], over the time since the previous reading).

#include <cstdint>
#include <mutex>

namespace spence::net::lavalink {

struct memory_usage {
  std::uint64_t free = 0;
  std::uint64_t used = 0;
  std::uint64_t allocated = 0;
  std::uint64_t reservable = 0;
};

struct cpu_usage {
  unsigned cores = 1;
  double system_load = 0;
  double process_load = 0;
};

memory_usage read_memory_usage();

// Loads over the interval since the previous call (the first call: since the process started,
// for the process; 0 for the system). Thread-safe.
class cpu_meter {
 public:
  cpu_usage read();

 private:
  std::mutex mutex_;
  std::uint64_t system_busy_ = 0, system_total_ = 0;
  double process_seconds_ = 0;
  double wall_seconds_ = 0;
};

}  // namespace spence::net::lavalink
