#pragma once
// The emulator's per-client state, shared by its gateway (voice_emulator.cpp) and its DAVE side
// (voice_emulator_dave.cpp): a WebSocket connection with its outbound queue, and the voice session
// it carries, which outlives the connection so the client can resume.

#include "net/voice/voice_emulator.hpp"

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace spence::net {

// One WebSocket connection and its outbound queue: writes go one at a time.
struct voice_emulator::connection {
  explicit connection(websocket_connection ws) : ws(std::move(ws)) {}
  websocket_connection ws;
  std::deque<std::variant<std::string, std::vector<std::uint8_t>>> queue;  // text or binary frames
  bool writing = false;
  std::optional<std::pair<std::uint16_t, std::string>> closing;  // sent after the queue
  std::weak_ptr<session> owner;  // weak: the session holds its current connection, and a cycle would leak both
};

// A voice session: survives its connection, so the client can resume it.
struct voice_emulator::session {
  std::string session_id;
  std::string user_id;
  std::string server_id;  // the guild: who hears whom
  std::string token;
  std::uint32_t ssrc = 0;
  std::string mode;      // once the protocol is selected
  std::int64_t seq = 0;  // of the last numbered message sent
  std::shared_ptr<connection> current;
  std::optional<std::uint32_t> speaking;  // its last Speaking flags, told to whoever joins later
  std::optional<std::uint64_t> dave_user;  // set when the session speaks DAVE: the user's ID
  bool external_sender_announced = false;
};

}  // namespace spence::net
