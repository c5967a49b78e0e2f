#pragma once
// `spence replay`: rebuilds the actors of a trace on a deterministic executor, delivers the
// recorded messages in recorded order at their recorded clock times, recomputes each message's
// output digest and compares it with the recorded checkpoint.

#include "actors/actor_registry.hpp"
#include "actors/trace_reader.hpp"

#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace spence::actors {

struct divergence {
  std::uint64_t seq = 0;
  std::string actor;
  std::string type;
  std::string expected;  // recorded outputs digest / failure, or "nothing"
  std::string actual;
};

struct replay_report {
  std::uint64_t messages = 0;      // delivered
  std::uint64_t checkpoints = 0;   // compared with a recorded checkpoint
  bool complete = false;           // the trace was closed cleanly
  std::uint64_t unchecked = 0;     // messages at the end of an unclosed trace whose outputs can't be known
  std::optional<divergence> first_divergence;
};

boost::system::result<replay_report, trace_error> replay_trace(const std::filesystem::path& first_segment,
                                                               const actor_registry& registry);

}  // namespace spence::actors
