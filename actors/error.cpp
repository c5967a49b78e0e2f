#include "actors/error.hpp"

#include <string>

namespace spence::actors {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.actors"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::mailbox_full: return "mailbox full";
      case errc::actor_stopped: return "actor stopped";
      case errc::shutting_down: return "runtime is shutting down";
      case errc::ask_timeout: return "no reply before the deadline";
      case errc::duplicate_name: return "an actor with that name is running";
      case errc::trace_malformed: return "malformed trace record";
      case errc::trace_truncated: return "truncated trace";
      case errc::trace_io: return "trace file I/O error";
      case errc::unknown_actor_kind: return "unknown actor kind";
      case errc::unknown_actor: return "message for an actor that was never spawned";
      case errc::unknown_message: return "message type not in the actor's protocol";
    }
    return "unknown spence.actors error";
  }
};

}  // namespace

const boost::system::error_category& actor_category() noexcept {
  static const category instance;
  return instance;
}

}  // namespace spence::actors
