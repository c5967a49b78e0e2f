#pragma once
// A guild's voice connection as an actor (e.g. /node/guild/1234/voice). Its bounded control
// mailbox takes join/leave from its owner; the connection itself (voice_connection: WebSocket,
// UDP, timers) lives on its own strand and reports its state changes back as messages, so
// everything the actor decides (which connection is current, what to tell the client) follows
// from messages and replays. When Discord closes the voice WebSocket, a WebSocketClosedEvent
// notice leaves through the effect sink named in the config, one JSON line.
//
// The guild player's packets do not pass through the actor: they go from the player's tick
// straight into the guild's voice_sink, which the actor hands to each connection it opens, so a
// move to another voice server keeps the player (and its position) untouched.
//
// Replayed, the actor opens nothing: the recorded state changes drive it.

#include "actors/actor.hpp"
#include "actors/actor_registry.hpp"
#include "engine/player/voice_stream.hpp"
#include "net/voice/voice_connection.hpp"
#include "net/voice/voice_protocol.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <functional>
#include <memory>
#include <string_view>
#include <variant>

namespace spence::net {

// What voice connection actors need from the process (actors::service_registry).
struct voice_services {
  // Where connections run; each gets a strand of it.
  boost::asio::any_io_executor io;
  // The voice stream's sink, shared with its player (created on first use).
  std::function<std::shared_ptr<voice_sink>(const std::string& voice_stream)> sink_for;
  voice_connection_options options;  // on_status is set by the actor
};

class voice_connection_actor {
 public:
  static constexpr std::string_view kind = "net.voice";
  using protocol = std::variant<join_voice, leave_voice, voice_state_changed, voice_ping_measured, get_voice_state>;
  struct config {
    std::string guild;
    std::string events_sink;  // effect sink for notices; empty: none
    std::string voice_stream;  // its sink's key and its notices' tag; empty: the guild ID (see player_actor)
    BOOST_DESCRIBE_CLASS(config, (), (guild, events_sink, voice_stream), (), ())
  };

  // Throws std::invalid_argument without voice_services when live.
  voice_connection_actor(const config& c, actors::context<protocol>& ctx);
  ~voice_connection_actor();
  voice_connection_actor(const voice_connection_actor&) = delete;
  voice_connection_actor& operator=(const voice_connection_actor&) = delete;

  void handle(const join_voice& m, actors::context<protocol>& ctx);
  void handle(const leave_voice& m, actors::context<protocol>& ctx);
  void handle(const voice_state_changed& m, actors::context<protocol>& ctx);
  void handle(const voice_ping_measured& m, actors::context<protocol>& ctx);
  void handle(const get_voice_state& m, actors::context<protocol>& ctx);

 private:
  void close_current();
  // Moves to `state`, telling the events sink (VoiceStateChanged) when it is a change.
  void enter(const std::string& state, actors::context<protocol>& ctx);
  const std::string& stream() const { return engine::voice_stream_of(config_.guild, config_.voice_stream); }

  config config_;
  std::shared_ptr<voice_services> services_;
  bool replaying_;
  std::uint64_t joins_ = 0;  // numbers the connections; reports of older ones are ignored
  voice_state state_;
  std::shared_ptr<voice_connection> current_;  // live only
};

// Lets a replay rebuild voice connection actors.
void register_voice_kind(actors::actor_registry& registry);

}  // namespace spence::net
