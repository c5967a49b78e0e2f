#pragma once
// What the runtime reports to a trace: the file writer records it; the replayer compares it.

#include "actors/clock.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace spence::actors {

class trace_sink {
 public:
  virtual ~trace_sink() = default;
  // An actor was spawned with this kind and configuration.
  virtual void on_spawn(clock::time_point t, const std::string& actor, const std::string& kind,
                        const boost::json::value& config) = 0;
  // An actor dequeued a message; `payload` is its JSON text. Returns the message's sequence number.
  virtual std::uint64_t on_message(clock::time_point t, const std::string& actor, const std::string& type,
                                   std::string_view payload) = 0;
  // Handling message `seq` produced outputs with this digest, and/or failed with this reason.
  // Not called for a message that produced nothing and did not fail.
  virtual void on_checkpoint(std::uint64_t seq, const std::string& actor, std::string_view outputs_digest,
                             std::string_view failure) = 0;
  // An actor terminated.
  virtual void on_stop(clock::time_point t, const std::string& actor) = 0;
};

}  // namespace spence::actors
