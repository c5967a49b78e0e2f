#pragma once
// The spence subcommands. Each returns the process exit code.

#include <cstdint>
#include <filesystem>
#include <string>

namespace spence::app {

struct demo_options {
  std::uint64_t ticks = 150;
  std::uint64_t interval_ms = 20;
  std::uint64_t poison_every = 25;
  unsigned threads = 0;
  std::filesystem::path trace = "spence-demo.trace";
  std::filesystem::path output = "spence-demo.out";
};
int run_demo(const demo_options& options);

// Exit codes: 0 identical, 1 diverged, 2 the trace could not be read or rebuilt.
int run_replay(const std::filesystem::path& trace, bool json);

struct actors_bench_options {
  unsigned threads = 0;
  double seconds = 3.0;
  bool json = false;
};
int run_actors_bench(const actors_bench_options& options);

}  // namespace spence::app
