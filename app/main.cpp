// The spence binary: one command line, one subcommand per job.

#include "app/commands.hpp"

#include <CLI/CLI.hpp>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

int main(int argc, char** argv) {
  CLI::App cli{"spence: a Discord audio runtime"};
  cli.require_subcommand(1);
  std::string log_level = "warn";
  cli.add_option("--log-level", log_level, "trace, debug, info, warn, error, off")->capture_default_str();

  spence::app::run_options run;
  auto* run_cmd = cli.add_subcommand("run", "Run the Lavalink v4 node (by default on 127.0.0.1:2333)");
  run_cmd->add_option("--config", run.config, "The node's TOML configuration (docs/configuration.md)");

  spence::app::demo_options demo;
  auto* demo_cmd = cli.add_subcommand(
      "demo", "Play a generated sample through a player and a voice connection into the Discord emulator, then replay the trace");
  demo_cmd->require_subcommand(0, 1);
  demo_cmd->add_option("--seconds", demo.seconds, "Length of the sample")->check(CLI::Range(0.25, 600.0))->capture_default_str();
  demo_cmd->add_option("--threads", demo.threads, "Worker threads and shards (0: one per core)")->capture_default_str();
  demo_cmd->add_option("--trace", demo.trace, "Trace file to record")->capture_default_str();
  demo_cmd->add_option("--output", demo.output, "Ogg file of what the emulator received")->capture_default_str();

  spence::app::actors_demo_options actors_demo;
  auto* actors_demo_cmd =
      demo_cmd->add_subcommand("actors", "Run the actor runtime's demo pipeline with tracing, then replay its trace");
  actors_demo_cmd->add_option("--ticks", actors_demo.ticks, "Samples to produce")->capture_default_str();
  actors_demo_cmd->add_option("--interval-ms", actors_demo.interval_ms, "Milliseconds between samples")->capture_default_str();
  actors_demo_cmd->add_option("--poison-every", actors_demo.poison_every, "Every n-th sample crashes the scaler (0: never)")
      ->capture_default_str();
  actors_demo_cmd->add_option("--threads", actors_demo.threads, "Worker threads (0: one per core)")->capture_default_str();
  actors_demo_cmd->add_option("--trace", actors_demo.trace, "Trace file to record")->capture_default_str();
  actors_demo_cmd->add_option("--output", actors_demo.output, "File the pipeline writes")->capture_default_str();

  std::string trace;
  bool replay_json = false;
  auto* replay_cmd = cli.add_subcommand("replay", "Replay a trace and report the first divergence");
  replay_cmd->add_option("trace", trace, "First segment of the trace")->required();
  replay_cmd->add_flag("--json", replay_json, "Print the report as JSON");

  spence::app::render_options render;
  std::string passthrough = "auto";
  std::string resampler{spence::engine::resampler_quality_name(render.resampling)};
  auto* render_cmd = cli.add_subcommand("render", "Render a source to 20 ms Opus packets in an Ogg file, as fast as possible");
  render_cmd->add_option("source", render.source, "A file path or an http(s) URL")->required();
  render_cmd->add_option("-o,--output", render.output, "The Ogg Opus file to write")->required();
  render_cmd->add_option("--start", render.start_seconds, "Start position in seconds")->check(CLI::NonNegativeNumber);
  render_cmd->add_option("--duration", render.duration_seconds, "Seconds to render (default: to the end)")
      ->check(CLI::NonNegativeNumber);
  render_cmd->add_option("--volume", render.volume, "Linear volume (1.0 keeps passthrough possible)")
      ->check(CLI::Range(0.0, 10.0))->capture_default_str();
  render_cmd->add_option("--bitrate", render.bitrate, "Opus bitrate in bit/s when transcoding")
      ->check(CLI::Range(6000, 510000))->capture_default_str();
  render_cmd->add_option("--complexity", render.complexity, "Opus encoder complexity")->check(CLI::Range(0, 10))->capture_default_str();
  render_cmd->add_option("--passthrough", passthrough, "Pass 48 kHz 20 ms Opus through untouched")
      ->check(CLI::IsMember({"auto", "off"}))->capture_default_str();
  render_cmd->add_option("--resampler", resampler, "Resampler quality")
      ->check(CLI::IsMember({"best", "medium", "fastest", "linear"}))->capture_default_str();
  render_cmd->add_flag("--json", render.json, "Print the report as JSON");

  spence::app::connect_options connect;
  spence::app::resolve_options resolve;
  auto* resolve_cmd = cli.add_subcommand("resolve", "Resolve an identifier (URL, search, path) as /v4/loadtracks would");
  resolve_cmd->add_option("identifier", resolve.identifier, "A URL, a search such as ytsearch:TERMS, or a path")->required();
  resolve_cmd->add_flag("--json", resolve.json, "Print the route and Lavalink's load result as JSON");
  resolve_cmd->add_option("--config", resolve.config, "The node's config file: its [sources] (Spotify's and Apple Music's credentials, base URLs)");

  auto* connect_cmd = cli.add_subcommand("connect", "Play a source into a Discord voice server (or the emulator)");
  connect_cmd->add_option("--endpoint", connect.endpoint,
                          "The voice server: host:port or wss://host:port (TLS), ws://host:port (the emulator)")
      ->required();
  connect_cmd->add_option("--server-id", connect.server_id, "The guild id")->required();
  connect_cmd->add_option("--user-id", connect.user_id, "The bot's user id")->required();
  connect_cmd->add_option("--session-id", connect.session_id, "From VOICE_STATE_UPDATE")->required();
  connect_cmd->add_option("--token", connect.token, "From VOICE_SERVER_UPDATE")->required();
  connect_cmd->add_option("--channel-id", connect.channel_id, "The voice channel id")->required();
  connect_cmd->add_option("source", connect.source, "A file path or an http(s) URL")->required();
  connect_cmd->add_option("--start", connect.start_seconds, "Start position in seconds")->check(CLI::NonNegativeNumber);
  connect_cmd->add_option("--duration", connect.duration_seconds, "Seconds to play (default: to the end)")
      ->check(CLI::NonNegativeNumber);
  connect_cmd->add_option("--threads", connect.threads, "Worker threads and shards (0: one per core)");
  connect_cmd->add_option("--tls-ca-file", connect.tls_ca_file, "PEM CAs to trust instead of the system's");

  spence::app::emulator_options emulator;
  auto* emulator_cmd = cli.add_subcommand(
      "emulator", "A local Discord voice server: prints its endpoints as JSON, serves until SIGINT/SIGTERM, prints stats");
  emulator_cmd->add_option("--host", emulator.host, "Address of the gateway and UDP sockets")->capture_default_str();
  emulator_cmd->add_option("--port", emulator.port, "Gateway and control API TCP port (0: any)")->capture_default_str();
  emulator_cmd->add_option("--udp-port", emulator.udp_port, "UDP port (0: any)")->capture_default_str();
  emulator_cmd->add_option("--ogg-dir", emulator.ogg_dir, "Write each received stream to DIR/<ssrc>.ogg");
  emulator_cmd->add_flag("--no-dave{false}", emulator.dave,
                         "No DAVE: sessions are described with protocol version 0 (by default the emulator runs DAVE "
                         "as Discord's voice gateway, a guild's voice channel having the guild's ID)");
  emulator_cmd->add_flag("--dave-optional{false}", emulator.require_dave,
                         "Let clients without DAVE in (version 0) instead of closing them with 4017");
  emulator_cmd->add_option("--dave-commit-delay", emulator.dave_commit_delays,
                           "USER=MS: hold that user's DAVE commits back (a fault for tests: others win the epochs)");
  emulator_cmd->add_flag("--no-decode{false}", emulator.decode_audio,
                         "Check RTP continuity and pacing only, without decoding the audio (benchmarks)");
  emulator_cmd->add_option("--seed", emulator.seed, "Seed of SSRCs and keys")->capture_default_str();
  emulator_cmd->add_option("--heartbeat-ms", emulator.heartbeat_ms, "Heartbeat interval announced in Hello")
      ->check(CLI::Range(100u, 600000u))->capture_default_str();

  auto* bench_cmd = cli.add_subcommand("bench", "Benchmarks that print figures");
  bench_cmd->require_subcommand(1);
  spence::app::actors_bench_options bench_actors;
  auto* bench_actors_cmd = bench_cmd->add_subcommand("actors", "Actor runtime against raw Asio strands");
  bench_actors_cmd->add_option("--threads", bench_actors.threads, "Worker threads (0: one per core)");
  bench_actors_cmd->add_option("--seconds", bench_actors.seconds, "Duration of the timed patterns")->capture_default_str();
  bench_actors_cmd->add_flag("--json", bench_actors.json, "Print JSON");

  spence::app::players_bench_options bench_players;
  auto* bench_players_cmd = bench_cmd->add_subcommand("players", "Guild players on the tick shards");
  bench_players_cmd->add_option("--count", bench_players.count, "Players")->capture_default_str();
  bench_players_cmd->add_option("--profile", bench_players.profile, "passthrough, transcode or filters")->capture_default_str();
  bench_players_cmd->add_option("--sink", bench_players.sink, "null or udp")->capture_default_str();
  bench_players_cmd->add_option("--seconds", bench_players.seconds, "Real time to run")->capture_default_str();
  bench_players_cmd->add_option("--threads", bench_players.threads, "Worker threads and shards (0: one per core)");
  bench_players_cmd->add_option("--media-dir", bench_players.media_dir, "Where the generated inputs are kept")->capture_default_str();
  bench_players_cmd->add_flag("--find-max", bench_players.find_max, "Search the largest count within the limits");
  bench_players_cmd->add_flag("--json", bench_players.json, "Print JSON");

  spence::app::voice_bench_options bench_voice;
  auto* bench_voice_cmd = bench_cmd->add_subcommand(
      "voice", "Guilds in passthrough, each with its own voice connection to the emulator in another process");
  bench_voice_cmd->add_option("--connections", bench_voice.connections, "Guilds and voice connections")->capture_default_str();
  bench_voice_cmd->add_option("--seconds", bench_voice.seconds, "Measured window")->capture_default_str();
  bench_voice_cmd->add_option("--threads", bench_voice.threads, "Worker threads and shards (0: one per core)");
  bench_voice_cmd->add_option("--media-dir", bench_voice.media_dir, "Where the generated inputs are kept")->capture_default_str();
  bench_voice_cmd->add_flag("--json", bench_voice.json, "Print JSON");

  spence::app::pipeline_bench_options bench_pipeline;
  auto* bench_pipeline_cmd = bench_cmd->add_subcommand("pipeline", "The audio pipeline against the raw codecs");
  bench_pipeline_cmd->add_option("--media-dir", bench_pipeline.media_dir, "Where the generated inputs are kept")
      ->capture_default_str();
  bench_pipeline_cmd->add_option("--seconds", bench_pipeline.seconds, "Minimum CPU seconds per pattern")->capture_default_str();
  bench_pipeline_cmd->add_flag("--json", bench_pipeline.json, "Print JSON");

  spence::app::dave_bench_options bench_dave;
  spence::app::resolvers_bench_options bench_resolvers;
  auto* bench_resolvers_cmd = bench_cmd->add_subcommand("resolvers", "Lookups through the resolvers' router: misses, hits, concurrency, cache memory");
  bench_resolvers_cmd->add_option("--soundcloud", bench_resolvers.soundcloud, "Base URL of a SoundCloud stand-in (scripts/bench-resolvers starts one)");
  bench_resolvers_cmd->add_option("--lookups", bench_resolvers.lookups, "Lookups per measurement")->check(CLI::Range(1, 100000))->capture_default_str();
  bench_resolvers_cmd->add_option("--concurrency", bench_resolvers.concurrency, "Lookups at once")->check(CLI::Range(1, 64))->capture_default_str();
  bench_resolvers_cmd->add_flag("--json", bench_resolvers.json, "Print JSON");

  auto* bench_dave_cmd = bench_cmd->add_subcommand("dave", "DAVE frame encryption and decryption per packet");
  bench_dave_cmd->add_option("--seconds", bench_dave.seconds, "Minimum CPU seconds per pattern")->capture_default_str();
  bench_dave_cmd->add_flag("--json", bench_dave.json, "Print JSON");

  CLI11_PARSE(cli, argc, argv);
  // Logs go to stderr, so that stdout carries only the command's results (and JSON stays parseable).
  spdlog::set_default_logger(spdlog::stderr_color_mt("spence"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (*run_cmd) return spence::app::run_node(run);
  if (*actors_demo_cmd) return spence::app::run_actors_demo(actors_demo);
  if (*demo_cmd) return spence::app::run_demo(demo);
  if (*replay_cmd) return spence::app::run_replay(trace, replay_json);
  if (*connect_cmd) return spence::app::run_connect(connect);
  if (*resolve_cmd) return spence::app::run_resolve(resolve);
  if (*render_cmd) {
    render.passthrough = passthrough == "auto";
    render.resampling = spence::engine::parse_resampler_quality(resampler);
    return spence::app::run_render(render);
  }
  if (*emulator_cmd) return spence::app::run_emulator(emulator);
  if (*bench_actors_cmd) return spence::app::run_actors_bench(bench_actors);
  if (*bench_players_cmd) return spence::app::run_players_bench(bench_players);
  if (*bench_voice_cmd) return spence::app::run_voice_bench(bench_voice);
  if (*bench_pipeline_cmd) return spence::app::run_pipeline_bench(bench_pipeline);
  if (*bench_dave_cmd) return spence::app::run_dave_bench(bench_dave);
  if (*bench_resolvers_cmd) return spence::app::run_resolvers_bench(bench_resolvers);
  return 2;
}
