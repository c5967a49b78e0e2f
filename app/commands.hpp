#pragma once
// The spence subcommands. Each returns the process exit code.

#include "engine/resampler.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace spence::app {

// Exit codes: 0 the sample reached the emulator intact and the trace replayed identically; 1
// otherwise; 2 the demo could not start.
struct demo_options {
  double seconds = 8.0;
  unsigned threads = 0;
  std::filesystem::path trace = "spence-demo.trace";
  std::filesystem::path output = "spence-demo.ogg";
};
int run_demo(const demo_options& options);

// The actor runtime's own demo: a pipeline with a crashing stage under supervision, traced and
// replayed.
struct actors_demo_options {
  std::uint64_t ticks = 150;
  std::uint64_t interval_ms = 20;
  std::uint64_t poison_every = 25;
  unsigned threads = 0;
  std::filesystem::path trace = "spence-actors-demo.trace";
  std::filesystem::path output = "spence-actors-demo.out";
};
int run_actors_demo(const actors_demo_options& options);

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

// DAVE's frame layer per packet: encrypt, decrypt and the AES-GCM floor, for Opus frame sizes.
struct dave_bench_options {
  double seconds = 0.5;  // minimum CPU seconds per measured pattern
  bool json = false;
};
int run_dave_bench(const dave_bench_options& options);

struct resolvers_bench_options {
  std::optional<std::string> soundcloud;  // base URL of a SoundCloud stand-in (web app and API)
  std::size_t lookups = 200;
  std::size_t concurrency = 16;
  bool json = false;
};
// Exit codes: 0 measured, 1 a lookup did not give what it should.
int run_resolvers_bench(const resolvers_bench_options& options);

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

struct voice_bench_options {
  std::size_t connections = 100;
  double seconds = 10.0;
  unsigned threads = 0;  // 0: one per core
  std::filesystem::path media_dir = "bench-media";
  bool json = false;
};
// Exit codes: 0 every packet arrived, 1 some went missing (the figures say which).
int run_voice_bench(const voice_bench_options& options);

struct connect_options {
  std::string endpoint;  // host:port or wss://host:port (TLS), ws://host:port (the emulator)
  std::string server_id;
  std::string user_id;
  std::string session_id;
  std::string token;
  std::string channel_id;
  std::string source;
  double start_seconds = 0;
  double duration_seconds = 0;  // 0: to the end
  unsigned threads = 0;
  std::uint64_t connect_timeout_ms = 15000;
  std::uint32_t seed = 1;
  std::optional<std::filesystem::path> tls_ca_file;
};
// The Lavalink v4 node. Exit codes: 0 stopped by a signal, 2 the configuration or the listening
// address was refused.
struct run_options {
  std::optional<std::filesystem::path> config;
};
int run_node(const run_options& options);

// Exit codes: 0 a track, a playlist or search results, 1 empty or an error (printed either way),
// 2 the config file could not be read.
struct resolve_options {
  std::string identifier;
  bool json = false;
  std::optional<std::filesystem::path> config;  // the node's [sources] (local files on regardless)
};
int run_resolve(const resolve_options& options);

// Exit codes: 0 played to the end, 1 no voice session, the source failed or the voice server
// closed the connection for good.
int run_connect(const connect_options& options);

// Exit codes: 0 rendered, 1 the source or the output failed (the reason is printed).
int run_render(const render_options& options);

struct emulator_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;      // the gateway's and the control API's (TCP); 0: any
  std::uint16_t udp_port = 0;  // 0: any
  std::filesystem::path ogg_dir;  // empty: received audio is checked, not written
  // As Discord: DAVE with every client (the group ID: each guild's own ID), 4017 for a client that
  // does not offer it. --dave-optional lets such clients in without it; --no-dave turns DAVE off.
  bool dave = true;
  std::vector<std::string> dave_commit_delays;  // "USER=MS": that user's commits are held back
  bool require_dave = true;
  bool decode_audio = true;
  std::uint32_t seed = 1;
  std::uint32_t heartbeat_ms = 41250;
};
// Exit codes: 0 stopped by a signal, 1 the sockets could not be bound (the reason is printed).
int run_emulator(const emulator_options& options);

}  // namespace spence::app
