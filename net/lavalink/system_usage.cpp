#include "net/lavalink/system_usage.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <string>
#include <thread>

namespace spence::net::lavalink {

memory_usage read_memory_usage() {
  memory_usage m;
  const auto page = static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
  std::ifstream statm("/proc/self/statm");
  std::uint64_t size = 0, resident = 0;
  if (statm >> size >> resident) m.used = m.allocated = resident * page;
  m.reservable = static_cast<std::uint64_t>(::sysconf(_SC_PHYS_PAGES)) * page;
  return m;
}

namespace {

double process_cpu_seconds() {
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double monotonic_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// The "cpu" line of /proc/stat: busy and total jiffies since boot.
bool read_system_jiffies(std::uint64_t& busy, std::uint64_t& total) {
  std::ifstream stat("/proc/stat");
  std::string label;
  std::uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  if (!(stat >> label >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal) || label != "cpu")
    return false;
  busy = user + nice + system + irq + softirq + steal;
  total = busy + idle + iowait;
  return true;
}

}  // namespace

cpu_usage cpu_meter::read() {
  std::lock_guard lock(mutex_);
  cpu_usage u;
  u.cores = std::max(1u, std::thread::hardware_concurrency());
  std::uint64_t busy = 0, total = 0;
  if (read_system_jiffies(busy, total)) {
    if (system_total_ != 0 && total > system_total_)
      u.system_load = static_cast<double>(busy - system_busy_) / static_cast<double>(total - system_total_);
    system_busy_ = busy;
    system_total_ = total;
  }
  const double process = process_cpu_seconds();
  const double wall = monotonic_seconds();
  if (wall_seconds_ > 0 && wall > wall_seconds_)
    u.process_load = (process - process_seconds_) / (wall - wall_seconds_) / u.cores;
  process_seconds_ = process;
  wall_seconds_ = wall;
  u.system_load = std::clamp(u.system_load, 0.0, 1.0);
  u.process_load = std::clamp(u.process_load, 0.0, 1.0);
  return u;
}

}  // namespace spence::net::lavalink
