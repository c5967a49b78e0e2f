#pragma once
// The spence subcommands. Each returns the process exit code.

#include "engine/resampler.hpp"

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

struct render_options {
  std::string source;  // a path or an http(s) URL
  std::filesystem::path output;
  double start_seconds = 0;
  double duration_seconds = 0;  // 0: to the end
  double volume = 1.0;
  int bitrate = 128000;
  int complexity = 10;
  bool passthrough = true;
  engine::resampler_quality resampling = engine::default_resampler_quality;
  bool json = false;
};
struct pipeline_bench_options {
  std::filesystem::path media_dir = "bench-media";  // inputs are generated here once
  double seconds = 1.0;  // minimum CPU seconds per measured pattern
  bool json = false;
};
int run_pipeline_bench(const pipeline_bench_options& options);

struct players_bench_options {
  std::size_t count = 1000;
  std::string profile = "passthrough";  // passthrough, transcode or filters
  std::string sink = "null";            // null or udp (loopback)
  double seconds = 10.0;
  unsigned threads = 0;                 // 0: one per core
  bool find_max = false;                // search the largest count within the lateness limit
  std::filesystem::path media_dir = "bench-media";
  bool json = false;
};
int run_players_bench(const players_bench_options& options);

// Exit codes: 0 rendered, 1 the source or the output failed (the reason is printed).
int run_render(const render_options& options);

struct emulator_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;      // the gateway's and the control API's (TCP); 0: any
  std::uint16_t udp_port = 0;  // 0: any
  std::filesystem::path ogg_dir;  // empty: received audio is checked, not written
  bool require_dave = false;
  std::uint32_t seed = 1;
  std::uint32_t heartbeat_ms = 41250;
};
// Exit codes: 0 stopped by a signal, 1 the sockets could not be bound (the reason is printed).
int run_emulator(const emulator_options& options);

}  // namespace spence::app
