// `spence replay TRACE`: re-runs a recorded trace and reports the first divergence.

#include "app/commands.hpp"
#include "app/demo_pipeline.hpp"

#include "actors/replay.hpp"
#include "engine/player/media_log.hpp"
#include "engine/player/player_actor.hpp"
#include "net/voice/voice_connection_actor.hpp"
#include "resolvers/resolver_router.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace spence::app {

namespace {
// Every actor kind this binary can rebuild from a trace. Players read their tracks' media logs from
// the directory beside the trace's first segment (TRACE.media), where a recording node writes them.
actors::actor_registry replayable_kinds(const std::filesystem::path& trace) {
  actors::actor_registry registry;
  demo::register_kinds(registry);
  engine::register_player_kind(registry);
  net::register_voice_kind(registry);
  resolvers::register_resolver_kind(registry);
  auto players = std::make_shared<engine::player_services>();
  players->media_logs = engine::media_logs_beside(trace);
  registry.services().provide(players);
  return registry;
}
}  // namespace

int run_replay(const std::filesystem::path& trace, bool json) {
  auto registry = replayable_kinds(trace);
  auto report = actors::replay_trace(trace, registry);
  if (!report) {
    if (json) {
      boost::json::object o{{"error", report.error().describe()}, {"file", report.error().file},
                            {"offset", report.error().offset}};
      fmt::print("{}\n", boost::json::serialize(o));
    } else {
      fmt::print(stderr, "replay: {}\n", report.error().describe());
    }
    return 2;
  }
  const auto& r = *report;
  if (json) {
    boost::json::object o{{"messages", r.messages}, {"checkpoints", r.checkpoints}, {"complete", r.complete},
                          {"unchecked", r.unchecked}, {"identical", !r.first_divergence}};
    if (r.first_divergence) {
      const auto& d = *r.first_divergence;
      o["divergence"] = {{"seq", d.seq}, {"actor", d.actor}, {"type", d.type}, {"expected", d.expected},
                         {"actual", d.actual}};
    }
    fmt::print("{}\n", boost::json::serialize(o));
  } else if (r.first_divergence) {
    const auto& d = *r.first_divergence;
    fmt::print("diverged at message {} ({} to {})\n  expected: {}\n  actual:   {}\n", d.seq, d.type, d.actor,
               d.expected, d.actual);
  } else {
    fmt::print("identical: {} messages replayed, {} checkpoints matched{}\n", r.messages, r.checkpoints,
               r.complete ? "" : fmt::format(" (trace not closed; last {} messages unchecked)", r.unchecked));
  }
  return r.first_divergence ? 1 : 0;
}

}  // namespace spence::app
