#pragma once
// Error codes of the actor runtime and of trace files.

#include <boost/system/error_code.hpp>

namespace spence::actors {

enum class errc {
  mailbox_full = 1,    // a control mailbox had no space and the sender could not wait
  actor_stopped,       // the target actor has terminated; its address stays valid but inert
  shutting_down,       // the runtime stopped taking messages from outside
  ask_timeout,         // no reply arrived before the ask's deadline
  duplicate_name,      // an actor with that name is already running
  trace_malformed,     // a trace record is not valid JSON or lacks a field
  trace_truncated,     // a trace ends inside a record
  trace_io,            // a trace file (or one of its segments) could not be opened, read or written
  unknown_actor_kind,  // replay met an actor kind this binary does not register
  unknown_actor,       // replay met a message for an actor that was never spawned
  unknown_message,     // replay met a message type the actor's protocol does not have
};

const boost::system::error_category& actor_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), actor_category()};
}

}  // namespace spence::actors

template <>
struct boost::system::is_error_code_enum<spence::actors::errc> : std::true_type {};
