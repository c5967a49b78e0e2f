#include "app/bench/bench_probe.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>

namespace spence::app::bench {
namespace {

double process_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(u.ru_utime) + seconds(u.ru_stime);
}

std::size_t heap_in_use() { return mallinfo2().uordblks; }

std::size_t rss_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace

void probe::start() { started_ = last_lap_ = std::chrono::steady_clock::now(); }

void probe::lap() {
  auto now = std::chrono::steady_clock::now();
  laps_.push_back(static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_lap_).count()));
  last_lap_ = now;
}

void probe::finish() {
  finished_ = std::chrono::steady_clock::now();
  done_.set_value();
}

double probe::elapsed_seconds() const { return std::chrono::duration<double>(finished_ - started_).count(); }

boost::json::object probe::round_trip_report() const {
  auto sorted = laps_;
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double q) {
    if (sorted.empty()) return 0.0;
    return sorted[std::min(sorted.size() - 1, static_cast<std::size_t>(q * static_cast<double>(sorted.size())))] / 1000.0;
  };
  return {{"per_second", static_cast<double>(laps_.size()) / elapsed_seconds()},
          {"p50_us", at(0.50)},
          {"p99_us", at(0.99)},
          {"max_us", sorted.empty() ? 0.0 : sorted.back() / 1000.0}};
}

boost::json::object probe::throughput_report() const {
  auto n = counted();
  return {{"messages", n}, {"seconds", elapsed_seconds()}, {"per_second", static_cast<double>(n) / elapsed_seconds()}};
}

cpu_meter::cpu_meter() : wall_start_(std::chrono::steady_clock::now()), cpu_start_(process_cpu_seconds()) {}

boost::json::object cpu_meter::report(std::uint64_t messages) const {
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start_).count();
  double cpu = process_cpu_seconds() - cpu_start_;
  return {{"seconds", wall},
          {"cpu_percent", 100.0 * cpu / wall},
          {"messages", messages},
          {"messages_per_second", static_cast<double>(messages) / wall}};
}

memory_meter::memory_meter() : heap_start_(heap_in_use()), rss_start_(rss_bytes()) {}

boost::json::object memory_meter::report(std::uint64_t count) const {
  auto per = [&](std::size_t now, std::size_t then) {
    return now > then ? static_cast<double>(now - then) / static_cast<double>(count) : 0.0;
  };
  return {{"count", count}, {"heap_bytes_each", per(heap_in_use(), heap_start_)}, {"rss_bytes_each", per(rss_bytes(), rss_start_)}};
}

}  // namespace spence::app::bench
