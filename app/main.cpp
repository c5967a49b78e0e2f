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

  spence::app::demo_options demo;
  auto* demo_cmd = cli.add_subcommand("demo", "Run the demo actor pipeline with tracing, then replay its trace");
  demo_cmd->add_option("--ticks", demo.ticks, "Samples to produce")->capture_default_str();
  demo_cmd->add_option("--interval-ms", demo.interval_ms, "Milliseconds between samples")->capture_default_str();
  demo_cmd->add_option("--poison-every", demo.poison_every, "Every n-th sample crashes the scaler (0: never)")
      ->capture_default_str();
  demo_cmd->add_option("--threads", demo.threads, "Worker threads (0: one per core)")->capture_default_str();
  demo_cmd->add_option("--trace", demo.trace, "Trace file to record")->capture_default_str();
  demo_cmd->add_option("--output", demo.output, "File the pipeline writes")->capture_default_str();

  std::string trace;
  bool replay_json = false;
  auto* replay_cmd = cli.add_subcommand("replay", "Replay a trace and report the first divergence");
  replay_cmd->add_option("trace", trace, "First segment of the trace")->required();
  replay_cmd->add_flag("--json", replay_json, "Print the report as JSON");

  auto* bench_cmd = cli.add_subcommand("bench", "Benchmarks that print figures");
  bench_cmd->require_subcommand(1);
  spence::app::actors_bench_options bench_actors;
  auto* bench_actors_cmd = bench_cmd->add_subcommand("actors", "Actor runtime against raw Asio strands");
  bench_actors_cmd->add_option("--threads", bench_actors.threads, "Worker threads (0: one per core)");
  bench_actors_cmd->add_option("--seconds", bench_actors.seconds, "Duration of the timed patterns")->capture_default_str();
  bench_actors_cmd->add_flag("--json", bench_actors.json, "Print JSON");

  CLI11_PARSE(cli, argc, argv);
  // Logs go to stderr, so that stdout carries only the command's results (and JSON stays parseable).
  spdlog::set_default_logger(spdlog::stderr_color_mt("spence"));
  spdlog::set_level(spdlog::level::from_str(log_level));

  if (*demo_cmd) return spence::app::run_demo(demo);
  if (*replay_cmd) return spence::app::run_replay(trace, replay_json);
  if (*bench_actors_cmd) return spence::app::run_actors_bench(bench_actors);
  return 2;
}
