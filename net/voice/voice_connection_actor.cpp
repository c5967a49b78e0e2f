#include "net/voice/voice_connection_actor.hpp"

#include "net/voice/voice_close_code.hpp"

#include <boost/asio/strand.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_from.hpp>

#include <stdexcept>

namespace spence::net {

voice_connection_actor::voice_connection_actor(const config& c, actors::context<protocol>& ctx)
    : config_(c), services_(ctx.owner().services().find<voice_services>()), replaying_(ctx.owner().replaying()) {
  if (!replaying_ && !services_) throw std::invalid_argument("a voice connection actor needs voice_services");
}

voice_connection_actor::~voice_connection_actor() { close_current(); }

void voice_connection_actor::close_current() {
  if (current_) std::exchange(current_, nullptr)->stop();
}

void voice_connection_actor::enter(const std::string& state, actors::context<protocol>& ctx) {
  if (state_.state == state) return;
  state_.state = state;
  if (state != "ready") state_.ping_ms = -1;
  if (config_.events_sink.empty()) return;
  const voice_state_notice notice{"VoiceStateChanged", config_.guild, state, stream()};
  ctx.emit(config_.events_sink, boost::json::serialize(boost::json::value_from(notice)) + "\n");
}

void voice_connection_actor::handle(const join_voice& m, actors::context<protocol>& ctx) {
  ++joins_;
  state_ = {m.endpoint, state_.state, 0, "", -1};
  enter("connecting", ctx);
  if (replaying_) return;
  close_current();
  auto options = services_->options;
  std::weak_ptr<actors::typed_cell<protocol>> self = ctx.self().cell();
  options.on_status = [self, connection = joins_](const voice_connection_status& status) {
    // State changes are few (a handful per reconnect), so a full mailbox only delays them.
    if (auto cell = self.lock())
      cell->box().force_push(protocol{voice_state_changed{connection, std::string(to_string(status.state)),
                                                          status.close_code, status.reason}});
  };
  options.on_heartbeat_ack = [self, connection = joins_](std::chrono::milliseconds rtt) {
    // One per heartbeat interval (seconds apart): as few as state changes.
    if (auto cell = self.lock()) cell->box().force_push(protocol{voice_ping_measured{connection, rtt.count()}});
  };
  current_ = voice_connection::create(boost::asio::make_strand(services_->io),
                                      {m.endpoint, config_.guild, m.user_id, m.session_id.value, m.token.value, m.channel_id},
                                      std::move(options), services_->sink_for(stream()));
  current_->start();
}

void voice_connection_actor::handle(const leave_voice&, actors::context<protocol>& ctx) {
  ++joins_;  // whatever the old connection still reports is about a connection we left
  enter("closed", ctx);
  state_.reason = "left";
  close_current();
}

void voice_connection_actor::handle(const voice_state_changed& m, actors::context<protocol>& ctx) {
  if (m.connection != joins_) return;
  // Each report of a state other than ready with a close code is one close of the WebSocket.
  const bool closed_socket = m.close_code >= 4000 && m.state != "ready";
  enter(m.state, ctx);
  state_.close_code = m.close_code;
  state_.reason = m.reason;
  if (m.state == "closed" && !replaying_) close_current();
  if (closed_socket && !config_.events_sink.empty()) {
    const voice_closed_notice notice{"WebSocketClosedEvent", config_.guild, m.close_code, m.reason,
                                     m.close_code != voice_close::client_ended, stream()};
    ctx.emit(config_.events_sink, boost::json::serialize(boost::json::value_from(notice)) + "\n");
  }
}

void voice_connection_actor::handle(const voice_ping_measured& m, actors::context<protocol>& ctx) {
  if (m.connection != joins_ || state_.state != "ready") return;
  state_.ping_ms = m.ping_ms;
  if (config_.events_sink.empty()) return;
  const voice_ping_notice notice{"VoicePing", config_.guild, m.ping_ms, stream()};
  ctx.emit(config_.events_sink, boost::json::serialize(boost::json::value_from(notice)) + "\n");
}

void voice_connection_actor::handle(const get_voice_state& m, actors::context<protocol>&) { m.reply.send(state_); }

void register_voice_kind(actors::actor_registry& registry) { registry.add<voice_connection_actor>(); }

}  // namespace spence::net
