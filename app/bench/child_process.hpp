#pragma once
// A process the benchmark starts beside itself (the Discord emulator, so that its work is not
// counted as ours): started with posix_spawn, its stdout read line by line, its CPU time read
// from /proc, stopped with SIGTERM.

#include <chrono>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace spence::app::bench {

class child_process {
 public:
  // Throws std::runtime_error when it cannot be started.
  child_process(const std::string& program, const std::vector<std::string>& arguments);
  ~child_process();  // SIGKILL if still running
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // The next line of its stdout, or nullopt on end of output or after `timeout`.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // User + system CPU seconds so far.
  double cpu_seconds() const;
  // SIGTERM, then waits up to `grace` before SIGKILL; returns the exit status (-1 when killed).
  int stop(std::chrono::milliseconds grace);

 private:
  pid_t pid_ = -1;
  int stdout_ = -1;
  std::string pending_;
};

}  // namespace spence::app::bench
