#include "net/voice/voice_close_code.hpp"

namespace spence::net::voice_close {

action after(std::uint16_t code) noexcept {
  if (code == voice_server_crashed || code < 4000) return action::resume;
  if (code == disconnected || code == rate_limited || code == call_terminated || code == dave_required) return action::give_up;
  return action::reconnect;
}

std::string_view to_string(action a) noexcept {
  switch (a) {
    case action::resume: return "resume";
    case action::reconnect: return "reconnect";
    case action::give_up: return "give up";
  }
  return "?";
}

}  // namespace spence::net::voice_close
