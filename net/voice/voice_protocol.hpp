#pragma once
// The messages of a guild's voice connection actor (voice_connection_actor.hpp): what its owner
// (the node, `spence connect`) sends it, what its live connection reports back, and the notice
// that leaves it when Discord closes the voice WebSocket (Lavalink's WebSocketClosedEvent).

#include "actors/message.hpp"
#include "actors/reply.hpp"

#include <boost/describe/class.hpp>

#include <cstdint>
#include <string>

namespace spence::net {

// Connects (or moves) the guild's voice connection: what VOICE_STATE_UPDATE and
// VOICE_SERVER_UPDATE gave the bot. A connection already open is replaced.
struct join_voice {
  std::string endpoint;  // "host:port" (Discord) or "ws://host:port" (the emulator)
  std::string user_id;
  std::string channel_id;
  actors::secret<std::string> session_id;
  actors::secret<std::string> token;
};
BOOST_DESCRIBE_STRUCT(join_voice, (), (endpoint, user_id, channel_id, session_id, token))

struct leave_voice {};
BOOST_DESCRIBE_STRUCT(leave_voice, (), ())

// From the live connection numbered `connection` (the n-th join): its state changed.
struct voice_state_changed {
  std::uint64_t connection = 0;
  std::string state;  // connecting, ready, reconnecting, closed
  std::uint16_t close_code = 0;
  std::string reason;
};
BOOST_DESCRIBE_STRUCT(voice_state_changed, (), (connection, state, close_code, reason))

// From the live connection numbered `connection`: a heartbeat's round trip to the voice server.
struct voice_ping_measured {
  std::uint64_t connection = 0;
  std::int64_t ping_ms = 0;
};
BOOST_DESCRIBE_STRUCT(voice_ping_measured, (), (connection, ping_ms))

struct voice_state {
  std::string endpoint;  // empty when never joined
  std::string state = "closed";
  std::uint16_t close_code = 0;
  std::string reason;
  std::int64_t ping_ms = -1;  // the last heartbeat's round trip while ready; -1 otherwise (Lavalink's ping)
};
BOOST_DESCRIBE_STRUCT(voice_state, (), (endpoint, state, close_code, reason, ping_ms))

struct get_voice_state {
  actors::reply_to<voice_state> reply;
};
BOOST_DESCRIBE_STRUCT(get_voice_state, (), (reply))

// Discord closed the voice WebSocket (Lavalink's WebSocketClosedEvent): `code` is Discord's.
struct voice_closed_notice {
  std::string type = "WebSocketClosedEvent";
  std::string guild_id;
  std::uint16_t code = 0;
  std::string reason;
  bool by_remote = true;
  std::string voice_stream;  // which of the guild's connections (see voice_connection_actor::config)
};
BOOST_DESCRIBE_STRUCT(voice_closed_notice, (), (type, guild_id, code, reason, by_remote, voice_stream))

// The connection's state changed (connecting, ready, reconnecting, closed): a node tells its
// client whether the player is connected.
struct voice_state_notice {
  std::string type = "VoiceStateChanged";
  std::string guild_id;
  std::string state;
  std::string voice_stream;
};
BOOST_DESCRIBE_STRUCT(voice_state_notice, (), (type, guild_id, state, voice_stream))

// A heartbeat's round trip to the voice server: a node reports it as the player's `state.ping`.
struct voice_ping_notice {
  std::string type = "VoicePing";
  std::string guild_id;
  std::int64_t ping_ms = 0;
  std::string voice_stream;
};
BOOST_DESCRIBE_STRUCT(voice_ping_notice, (), (type, guild_id, ping_ms, voice_stream))

}  // namespace spence::net
