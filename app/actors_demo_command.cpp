// `spence demo actors`: runs the demo pipeline on the thread pool with tracing on, then replays its
// trace and reports whether the replay reproduced every output.

#include "app/commands.hpp"
#include "app/demo_pipeline.hpp"
#include "app/file_sink.hpp"

#include "actors/actor.hpp"
#include "actors/trace_writer.hpp"

#include <boost/asio/signal_set.hpp>

#include <fmt/format.h>

#include <atomic>
#include <future>
#include <thread>

namespace spence::app {

int run_actors_demo(const actors_demo_options& options) {
  auto writer = actors::trace_writer::open({options.trace});
  if (!writer) {
    fmt::print(stderr, "demo: cannot write the trace {}: {}\n", options.trace.string(), writer.error().message());
    return 2;
  }
  actors::runtime rt({options.threads, writer->get()});
  rt.add_effect_sink(std::string(demo::output_sink), std::make_shared<file_sink>(options.output));
  fmt::print("demo: {} ticks every {} ms, every {}th sample poisoned; trace {}\n", options.ticks, options.interval_ms,
             options.poison_every, options.trace.string());

  auto pipeline = rt.spawn<demo::pipeline>("/demo", {options.ticks, options.interval_ms, options.poison_every});
  if (!pipeline) {
    fmt::print(stderr, "demo: {}\n", pipeline.error().message());
    return 2;
  }
  std::promise<std::string> ended;
  pipeline->cell()->on_terminated([&](const actors::terminated& t) { ended.set_value(t.reason); });
  // Ctrl-C (or SIGTERM) ends the pipeline early but cleanly: the trace is closed and replayed.
  boost::asio::signal_set signals(rt.executor(), SIGINT, SIGTERM);
  signals.async_wait([cell = pipeline->cell()](boost::system::error_code ec, int) {
    if (!ec) cell->request_stop("interrupted by a signal");
  });
  // The scaler is spawned by the pipeline; its restart count is read as it terminates.
  std::atomic<std::uint64_t> scaler_restarts{0};
  std::shared_ptr<actors::actor_cell> scaler;
  while (!(scaler = rt.find("/demo/scaler")) && !pipeline->stopped()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (scaler) {
    actors::actor_cell* cell = scaler.get();
    scaler->on_terminated([&, cell](const actors::terminated&) { scaler_restarts = cell->metrics().restarts; });
  }
  auto reason = ended.get_future().get();
  signals.cancel();
  rt.shutdown(std::chrono::seconds(2));
  (*writer)->close();
  fmt::print("demo: pipeline {}; the scaler was restarted {} times; output in {}\n",
             reason == "stopped itself" ? "finished" : "ended (" + reason + ")", scaler_restarts.load(),
             options.output.string());
  return run_replay(options.trace, false);
}

}  // namespace spence::app
