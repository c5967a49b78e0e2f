#include "net/voice/voice_emulator.hpp"

#include "net/voice/snowflake.hpp"
#include "net/voice/voice_emulator_session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace spence::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using udp = asio::ip::udp;

namespace {

// Discord's voice close codes that the emulator sends.
constexpr std::uint16_t failed_to_decode = 4002;
constexpr std::uint16_t not_authenticated = 4003;
constexpr std::uint16_t authentication_failed = 4004;
constexpr std::uint16_t already_authenticated = 4005;
constexpr std::uint16_t session_no_longer_valid = 4006;
constexpr std::uint16_t unknown_encryption_mode = 4016;
constexpr std::uint16_t dave_required = 4017;
constexpr std::uint16_t normal_closure = 1000;

// For the WebSocket handshake, and for each control request (an idle keep-alive connection ends).
constexpr auto handshake_timeout = std::chrono::seconds(5);
constexpr std::size_t max_control_body_bytes = 64 * 1024;

}  // namespace

voice_emulator::voice_emulator(const asio::any_io_executor& executor, voice_emulator_options options)
    : executor_(executor),
      options_(std::move(options)),
      server_(std::make_shared<http_server>(executor, std::make_shared<front_door>(*this),
                                            http_server_options{max_control_body_bytes, handshake_timeout, handshake_timeout})),
      gateway_endpoint_(server_->listen(tcp::endpoint(options_.address, options_.gateway_port))),
      relay_(std::make_shared<voice_udp_relay>(executor, udp::endpoint(options_.address, options_.udp_port),
                                               options_.ogg_dir, options_.decode_audio)),
      random_(options_.seed) {}

voice_emulator::~voice_emulator() = default;  // here, where the DAVE group type is complete

void voice_emulator::start() {
  relay_->start();
  server_->start();
}

void voice_emulator::stop() {
  asio::post(executor_, [self = shared_from_this()] {
    self->server_->stop();
    self->relay_->stop();
    for (auto& [id, s] : self->sessions_)
      if (s->current) self->close(s->current, 1001, "emulator stopping");
  });
}

class voice_emulator::front_door final : public http_handler {
 public:
  explicit front_door(voice_emulator& emulator) : emulator_(emulator) {}

  asio::awaitable<http_answer> answer(const http_request& request) override {
    if (!beast::websocket::is_upgrade(request)) co_return emulator_.answer_control(request);
    // The server's coroutines hold the emulator through its shared_ptr to this handler's owner.
    co_return http_upgrade{{}, [self = emulator_.shared_from_this()](websocket_connection ws) {
      return self->serve_gateway(std::move(ws));
    }};
  }
  http_response refuse(http::status status, std::string_view reason) override { return control_error(status, reason); }

 private:
  voice_emulator& emulator_;
};

asio::awaitable<void> voice_emulator::serve_gateway(websocket_connection ws) {
  auto c = std::make_shared<connection>(std::move(ws));
  send(c, voice_hello{static_cast<std::uint32_t>(options_.heartbeat_interval.count())}, false);
  std::shared_ptr<session> owner_at_close;
  for (;;) {
    auto message = co_await c->ws.read();
    if (const auto* closed = std::get_if<websocket_closed>(&message)) {
      // 1000 from the client is leaving the call; other closes may be resumed.
      owner_at_close = c->owner.lock();
      if (closed->code == normal_closure && owner_at_close && owner_at_close->current == c && !c->closing)
        leave(owner_at_close);
      break;
    }
    if (const auto* binary = std::get_if<websocket_binary>(&message)) {
      auto s = c->owner.lock();
      if (!s) {
        close(c, not_authenticated, "binary message before Identify");
        continue;
      }
      if (auto code = on_dave_binary(s, binary->bytes)) close(c, code, "refused");
      continue;
    }
    auto parsed = parse_voice_client_message(std::get<websocket_text>(message).text);
    if (!parsed) {
      close(c, failed_to_decode, parsed.error().message());
      continue;  // the close arrives, then the read ends
    }
    if (auto code = handle(c, *parsed)) close(c, code, "refused");
  }
  if (owner_at_close && owner_at_close->current == c) {
    owner_at_close->current.reset();
    std::lock_guard lock(counters_mutex_);
    --connected_;
  }
}

std::uint16_t voice_emulator::handle(const std::shared_ptr<connection>& c, const voice_client_message& m) {
  if (const auto* identify = std::get_if<voice_identify>(&m)) {
    if (!c->owner.expired()) return already_authenticated;
    if (identify->token.empty() || identify->session_id.empty() || identify->user_id.empty()) return authentication_failed;
    if (options_.require_dave && identify->max_dave_protocol_version == 0) return dave_required;
    auto s = std::make_shared<session>();
    s->session_id = identify->session_id;
    s->server_id = identify->server_id;
    s->user_id = identify->user_id;
    s->token = identify->token;
    s->ssrc = random_() | 1;  // never 0
    if (options_.dave && identify->max_dave_protocol_version > 0) s->dave_user = parse_snowflake(identify->user_id);
    s->current = c;
    c->owner = s;
    std::vector<std::string> others;
    std::vector<voice_user_speaking> speakers;  // who has spoken so far: their SSRCs
    for (const auto& [id, other] : sessions_) {
      if (other->server_id != s->server_id) continue;
      others.push_back(other->user_id);
      if (other->speaking) speakers.push_back({*other->speaking, other->ssrc, other->user_id});
    }
    auto& slot = sessions_[s->session_id];
    const bool replaces_a_connected_session = slot && slot->current;
    if (replaces_a_connected_session) close(slot->current, session_no_longer_valid, "identified again elsewhere");
    if (slot) relay_->remove_participant(slot->ssrc);
    slot = s;
    relay_->expect_participant(s->ssrc);
    {
      std::lock_guard lock(counters_mutex_);
      if (replaces_a_connected_session) --connected_;
      session_count_ = sessions_.size();
      ++connected_;
    }
    const auto udp_at = relay_->local_endpoint();
    send(c, voice_ready{s->ssrc, udp_at.address().to_string(), udp_at.port(), options_.modes}, true);
    if (!others.empty()) send(c, voice_clients_connect{others}, true);
    for (const auto& speaker : speakers) send(c, speaker, true);
    broadcast(s, voice_clients_connect{{s->user_id}});
    return 0;
  }
  if (const auto* resume = std::get_if<voice_resume>(&m)) {
    auto it = sessions_.find(resume->session_id);
    if (it == sessions_.end() || it->second->token != resume->token) return session_no_longer_valid;
    auto& s = it->second;
    if (s->current && s->current != c) close(s->current, session_no_longer_valid, "resumed elsewhere");
    s->current = c;
    c->owner = s;
    {
      std::lock_guard lock(counters_mutex_);
      ++connected_;
    }
    send(c, voice_resumed{}, true);
    return 0;
  }
  if (const auto* heartbeat = std::get_if<voice_heartbeat>(&m)) {
    send(c, voice_heartbeat_ack{heartbeat->t}, false);
    return 0;
  }
  if (std::holds_alternative<unknown_op>(m)) {
    std::lock_guard lock(counters_mutex_);
    ++ignored_ops_;
    return 0;
  }
  const auto s = c->owner.lock();
  if (!s) return not_authenticated;
  if (const auto* select = std::get_if<voice_select_protocol>(&m)) {
    auto mode = parse_transport_mode(select->mode);
    if (!mode || std::find(options_.modes.begin(), options_.modes.end(), select->mode) == options_.modes.end())
      return unknown_encryption_mode;
    s->mode = select->mode;
    rekey(*s);
    return 0;
  }
  if (const auto* speaking = std::get_if<voice_speaking>(&m)) {
    s->speaking = speaking->speaking;
    broadcast(s, voice_user_speaking{speaking->speaking, s->ssrc, s->user_id});
    return 0;
  }
  if (std::holds_alternative<dave_transition_ready>(m) || std::holds_alternative<dave_mls_invalid_commit_welcome>(m)) {
    on_dave_json(s, m);
    return 0;
  }
  std::lock_guard lock(counters_mutex_);
  ++ignored_ops_;
  return 0;
}

void voice_emulator::rekey(session& s) {
  relay_participant p{s.ssrc, *parse_transport_mode(s.mode), {}, s.server_id, s.dave_user.has_value()};
  for (auto& b : p.key) b = static_cast<std::uint8_t>(random_());
  relay_->add_participant(p);
  send(s.current, voice_session_description{s.mode, p.key, static_cast<std::uint16_t>(s.dave_user ? 1 : 0)}, true);
  if (s.dave_user && !s.external_sender_announced) announce_external_sender(s);
}

std::size_t voice_emulator::rekey_now(const std::string& user_id) {
  std::size_t rekeyed = 0;
  for (auto& [id, s] : sessions_) {
    if (s->user_id != user_id || !s->current || s->current->closing || s->mode.empty()) continue;
    rekey(*s);
    ++rekeyed;
  }
  return rekeyed;
}

void voice_emulator::broadcast(const std::shared_ptr<session>& from, const voice_server_message& m) {
  // Only to the same guild's participants, as Discord's voice servers host many calls.
  for (auto& [id, other] : sessions_)
    if (other != from && other->server_id == from->server_id && other->current) send(other->current, m, true);
}

void voice_emulator::send(const std::shared_ptr<connection>& c, const voice_server_message& m, bool numbered) {
  if (c->closing) return;
  std::optional<std::int64_t> seq;
  if (auto s = c->owner.lock(); numbered && s) seq = ++s->seq;
  enqueue(c, serialize_voice_server_message(m, seq));
}

void voice_emulator::send_binary(const std::shared_ptr<connection>& c, voice_op op, std::span<const std::uint8_t> payload) {
  auto s = c->owner.lock();
  if (c->closing || !s) return;
  // Binary frames are numbered too (v8): their 16-bit sequence is the session's counter.
  std::vector<std::uint8_t> frame;
  write_voice_server_binary_frame(static_cast<std::uint16_t>(++s->seq), op, payload, frame);
  enqueue(c, std::move(frame));
}

void voice_emulator::enqueue(const std::shared_ptr<connection>& c, std::variant<std::string, std::vector<std::uint8_t>> frame) {
  c->queue.push_back(std::move(frame));
  if (!c->writing) {
    c->writing = true;
    asio::co_spawn(executor_, [self = shared_from_this(), c] { return self->write_queue(c); }, asio::detached);
  }
}

void voice_emulator::close(const std::shared_ptr<connection>& c, std::uint16_t code, std::string reason) {
  if (c->closing) return;
  c->closing.emplace(code, std::move(reason));
  {
    std::lock_guard lock(counters_mutex_);
    ++closed_[code];
  }
  if (!c->writing) {
    c->writing = true;
    asio::co_spawn(executor_, [self = shared_from_this(), c] { return self->write_queue(c); }, asio::detached);
  }
}

asio::awaitable<void> voice_emulator::write_queue(std::shared_ptr<connection> c) {
  try {
    while (!c->queue.empty()) {
      auto frame = std::move(c->queue.front());
      c->queue.pop_front();
      if (const auto* text = std::get_if<std::string>(&frame)) co_await c->ws.send_text(*text);
      else co_await c->ws.send_binary(std::get<std::vector<std::uint8_t>>(frame));
    }
  } catch (const boost::system::system_error&) {
    c->queue.clear();  // the connection is gone; its read loop ends too
  }
  if (c->closing) co_await c->ws.close(c->closing->first, c->closing->second);
  c->writing = false;
}

void voice_emulator::disconnect(const std::string& user_id, std::uint16_t code, const std::string& reason) {
  asio::post(executor_, [self = shared_from_this(), user_id, code, reason] { self->disconnect_now(user_id, code, reason); });
}

std::size_t voice_emulator::disconnect_now(const std::string& user_id, std::uint16_t code, const std::string& reason) {
  std::size_t closed = 0;
  for (auto& [id, s] : sessions_) {
    if (s->user_id != user_id || !s->current || s->current->closing) continue;
    close(s->current, code, reason);
    ++closed;
  }
  return closed;
}

boost::json::object voice_emulator::stats() const {
  boost::json::object closed;
  std::lock_guard lock(counters_mutex_);
  for (const auto& [code, n] : closed_) closed[std::to_string(code)] = n;
  return {{"sessions", session_count_}, {"connected", connected_}, {"closed", closed},
          {"ignored_ops", ignored_ops_}, {"udp", relay_->stats()}, {"dave", dave_stats_}};
}

}  // namespace spence::net
