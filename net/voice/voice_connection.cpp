#include "net/voice/voice_connection.hpp"

#include "net/voice/ip_discovery.hpp"
#include "net/voice/rtp_receive.hpp"
#include "net/voice/snowflake.hpp"
#include "net/voice/voice_close_code.hpp"
#include "net/websocket/websocket_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <deque>

namespace spence::net {

namespace asio = boost::asio;
using udp = asio::ip::udp;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

namespace {

constexpr std::uint16_t normal_closure = 1000;
constexpr std::uint16_t abnormal_closure = 1006;
using voice_close::client_ended;
constexpr auto max_backoff = 8s;
constexpr int discovery_attempts = 5;
constexpr auto discovery_wait = 1s;
constexpr std::size_t keepalive_bytes = 8;
constexpr std::size_t max_datagram_bytes = 2048;

struct gateway_endpoint {
  std::string host;
  std::uint16_t port = 0;
  bool tls = true;
};

// "host:port" or "wss://host:port" (TLS, as Discord gives it), "ws://host:port" (plain); nullopt
// for anything else.
std::optional<gateway_endpoint> parse_endpoint(std::string_view endpoint) {
  gateway_endpoint parsed;
  if (endpoint.starts_with("ws://")) {
    parsed.tls = false;
    endpoint.remove_prefix(5);
  } else if (endpoint.starts_with("wss://")) {
    endpoint.remove_prefix(6);
  }
  if (!endpoint.empty() && endpoint.back() == '/') endpoint.remove_suffix(1);
  const auto colon = endpoint.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == endpoint.size()) return std::nullopt;
  unsigned port = 0;
  for (char c : endpoint.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return std::nullopt;
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return std::nullopt;
  parsed.host = std::string(endpoint.substr(0, colon));
  parsed.port = static_cast<std::uint16_t>(port);
  return parsed;
}

}  // namespace

std::string_view to_string(voice_connection_state state) noexcept {
  switch (state) {
    case voice_connection_state::connecting: return "connecting";
    case voice_connection_state::ready: return "ready";
    case voice_connection_state::reconnecting: return "reconnecting";
    case voice_connection_state::closed: return "closed";
  }
  return "?";
}

// One WebSocket connection: its outbound queue (writes go one at a time) and heartbeat state.
struct voice_connection::gateway {
  explicit gateway(websocket_connection socket) : ws(std::move(socket)) {}
  websocket_connection ws;
  std::deque<std::variant<std::string, std::vector<std::uint8_t>>> queue;  // text or binary frames
  bool writing = false;
  bool open = true;
  // Set when this side ends the connection: the close code and reason to report, and whether the
  // session may be resumed afterwards.
  std::optional<std::pair<std::uint16_t, std::string>> local_close;
  bool resumable_after_local_close = false;
  bool ready = false;  // described or resumed
  bool acked = true;   // the last heartbeat was acknowledged
  std::uint64_t nonce = 0;
  std::chrono::steady_clock::time_point heartbeat_sent;
};

std::shared_ptr<voice_connection> voice_connection::create(const asio::any_io_executor& executor,
                                                           voice_server_info server, voice_connection_options options,
                                                           std::shared_ptr<voice_sink> sink) {
  if (!sink) sink = std::make_shared<voice_sink>(options.seed);
  return std::make_shared<voice_connection>(token{}, executor, std::move(server), std::move(options), std::move(sink));
}

voice_connection::voice_connection(token, const asio::any_io_executor& executor, voice_server_info server,
                                   voice_connection_options options, std::shared_ptr<voice_sink> sink)
    : executor_(executor), server_(std::move(server)), options_(std::move(options)), sink_(std::move(sink)) {}

void voice_connection::attach_sink() {
  // The sink is called on the player's shard and may outlive this connection (the player holds
  // it): the silence it owes is paced here, while the connection exists.
  sink_->attach(*transport_, *socket_, [weak = weak_from_this(), executor = executor_] {
    asio::post(executor, [weak] {
      if (auto c = weak.lock()) c->on_audio_ended();
    });
  }, this);
}

void voice_connection::on_audio_ended() {
  if (pacing_silence_ || stopping_) return;
  pacing_silence_ = true;
  asio::co_spawn(executor_, [self = shared_from_this()] { return self->pace_silence(); }, asio::detached);
}

voice_connection::~voice_connection() = default;

void voice_connection::start() {
  asio::co_spawn(executor_, [self = shared_from_this()] { return self->run(); }, asio::detached);
}

void voice_connection::stop() {
  asio::dispatch(executor_, [self = shared_from_this()] {
    if (self->stopping_) return;
    self->stopping_ = true;
    self->sink_->detach(self.get());
    if (auto g = self->current_; g && g->open && !g->local_close) {
      g->local_close = {normal_closure, "leaving"};
      asio::co_spawn(self->executor_, [g]() -> asio::awaitable<void> { co_await g->ws.close(normal_closure, "leaving"); },
                     asio::detached);
    }
    boost::system::error_code ignored;
    if (self->socket_) self->socket_->close(ignored);
    self->set_status(voice_connection_state::closed, self->status().close_code, "left");
  });
}

voice_connection_status voice_connection::status() const {
  std::lock_guard lock(mutex_);
  return status_;
}

void voice_connection::set_status(voice_connection_state state, std::uint16_t code, std::string reason) {
  voice_connection_status now;
  {
    std::lock_guard lock(mutex_);
    if (status_.state == voice_connection_state::closed) return;  // closed is final
    status_ = {state, code, std::move(reason)};
    now = status_;
  }
  if (options_.on_status) options_.on_status(now);
}

asio::awaitable<void> voice_connection::run() {
  auto self = shared_from_this();
  if (!parse_endpoint(server_.endpoint)) {
    auto reason = "voice endpoint " + server_.endpoint + " is not host:port, wss://host:port or ws://host:port";
    spdlog::error("voice {}: {}", server_.server_id, reason);
    set_status(voice_connection_state::closed, 0, std::move(reason));
    co_return;
  }
  int failures = 0;
  auto backoff = options_.first_backoff;
  bool resume = false;
  asio::steady_timer wait(executor_);
  while (!stopping_) {
    bool reached_ready = false;
    bool local_failure = false;
    std::uint16_t code = abnormal_closure;
    std::string reason;
    try {
      std::tie(code, reason) = co_await session(resume);
      reached_ready = current_ && current_->ready;
      local_failure = current_ && current_->local_close && !current_->resumable_after_local_close;
    } catch (const boost::system::system_error& e) {
      reason = e.code().message();  // what() would carry Asio's source location
      local_failure = true;
    } catch (const std::exception& e) {
      reason = e.what();
      local_failure = true;
    }
    if (current_) {
      // Ended here even when the WebSocket is still open (a failure on this side): its heartbeat
      // stops, and the socket closes with the last reference.
      current_->open = false;
      current_.reset();
    }
    sink_->detach(this);
    if (stopping_) break;
    auto action = local_failure ? voice_close::action::reconnect : voice_close::after(code);
    if (action == voice_close::action::resume && !identified_) action = voice_close::action::reconnect;
    spdlog::info("voice {}: gateway closed ({} {}): {}", server_.server_id, code, reason, voice_close::to_string(action));
    if (action == voice_close::action::give_up) {
      set_status(voice_connection_state::closed, code, reason);
      break;
    }
    if (reached_ready) {
      failures = 0;
      backoff = options_.first_backoff;
    } else if (++failures >= options_.max_attempts) {
      set_status(voice_connection_state::closed, code,
                 "gave up after " + std::to_string(failures) + " failed attempts: " + reason);
      break;
    }
    set_status(voice_connection_state::reconnecting, code, reason);
    resume = action == voice_close::action::resume;
    if (!resume) identified_ = false;
    if (failures > 0) {
      wait.expires_after(backoff);
      co_await wait.async_wait(asio::as_tuple(asio::use_awaitable));
      backoff = std::min<std::chrono::milliseconds>(backoff * 2, max_backoff);
    }
  }
  // Over, for whatever reason: the keepalive and receive loops end with it.
  stopping_ = true;
  boost::system::error_code ignored;
  if (socket_) socket_->close(ignored);
}

asio::awaitable<std::pair<std::uint16_t, std::string>> voice_connection::session(bool resume) {
  auto self = shared_from_this();
  const auto endpoint = *parse_endpoint(server_.endpoint);
  std::optional<websocket_tls> tls;
  if (endpoint.tls) tls = websocket_tls{options_.tls_ca_file};
  auto ws = co_await websocket_connection::connect(endpoint.host, endpoint.port, "/?v=8", options_.handshake_timeout, tls);
  auto g = std::make_shared<gateway>(std::move(ws));
  current_ = g;
  {
    std::lock_guard lock(mutex_);
    ++(resume ? resumes_ : connects_);
  }
  // A connection that is not described (or resumed) in time is ended and tried again.
  asio::co_spawn(
      executor_,
      [self, g]() -> asio::awaitable<void> {
        asio::steady_timer timer(self->executor_, self->options_.handshake_timeout);
        co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
        if (g->ready || !g->open || g->local_close) co_return;
        g->local_close = {abnormal_closure, "no session within the handshake timeout"};
        co_await g->ws.close(client_ended, "handshake timeout");
      },
      asio::detached);

  for (;;) {
    auto m = co_await g->ws.read();
    if (auto* closed = std::get_if<websocket_closed>(&m)) {
      g->open = false;
      if (g->local_close) co_return *g->local_close;
      co_return std::pair{closed->code, closed->reason};
    }
    if (auto* binary = std::get_if<websocket_binary>(&m)) {
      // DAVE's MLS messages. They count for seq_ack too.
      auto frame = parse_voice_server_binary_frame(binary->bytes);
      if (!frame) {
        std::lock_guard lock(mutex_);
        ++gateway_errors_;
        continue;
      }
      seq_ack_ = frame->seq;
      on_dave_binary(g, frame->op, frame->payload);
      continue;
    }
    const auto& text = std::get<websocket_text>(m).text;
    auto parsed = parse_voice_server_message(text);
    if (!parsed) {
      {
        std::lock_guard lock(mutex_);
        ++gateway_errors_;
      }
      spdlog::warn("voice {}: ignoring a gateway message: {}", server_.server_id, parsed.error().message());
      continue;
    }
    if (parsed->seq) seq_ack_ = *parsed->seq;
    co_await handle(g, parsed->message);
    if (g->local_close && !g->open) co_return *g->local_close;
  }
}

void voice_connection::send(const std::shared_ptr<gateway>& g, const voice_client_message& m) {
  enqueue(g, serialize_voice_client_message(m));
}

void voice_connection::send(const std::shared_ptr<gateway>& g, const std::vector<dave::dave_gateway_message>& messages) {
  for (const auto& message : messages) {
    if (const auto* binary = std::get_if<dave::dave_binary_message>(&message)) {
      std::vector<std::uint8_t> frame;
      write_voice_client_binary_frame(binary->op, binary->payload, frame);
      enqueue(g, std::move(frame));
    } else {
      std::visit([&](const auto& json) {
        if constexpr (!std::is_same_v<std::decay_t<decltype(json)>, dave::dave_binary_message>) send(g, json);
      }, message);
    }
  }
}

void voice_connection::enqueue(const std::shared_ptr<gateway>& g, std::variant<std::string, std::vector<std::uint8_t>> frame) {
  if (!g->open) return;
  g->queue.push_back(std::move(frame));
  if (g->writing) return;
  g->writing = true;
  asio::co_spawn(executor_, [self = shared_from_this(), g] { return self->write_queue(g); }, asio::detached);
}

asio::awaitable<void> voice_connection::write_queue(std::shared_ptr<gateway> g) {
  try {
    while (!g->queue.empty() && g->open) {
      auto frame = std::move(g->queue.front());
      g->queue.pop_front();
      if (const auto* text = std::get_if<std::string>(&frame)) co_await g->ws.send_text(*text);
      else co_await g->ws.send_binary(std::get<std::vector<std::uint8_t>>(frame));
    }
  } catch (const boost::system::system_error&) {
    // The connection broke; its read ends too, and that decides what happens next.
  }
  g->writing = false;
}

asio::awaitable<void> voice_connection::handle(const std::shared_ptr<gateway>& g, const voice_server_message& m) {
  if (auto* hello = std::get_if<voice_hello>(&m)) {
    const auto interval = std::chrono::milliseconds(std::max<std::uint32_t>(hello->heartbeat_interval_ms, 100));
    asio::co_spawn(executor_, [self = shared_from_this(), g, interval] { return self->heartbeat(g, interval); },
                   asio::detached);
    if (identified_) {
      send(g, voice_resume{server_.server_id, server_.session_id, server_.token, seq_ack_});
    } else {
      seq_ack_ = -1;
      const auto dave_version = offered_dave_version();
      if (dave_version > 0) {
        // A new session: a new group membership and a new send ratchet.
        frame_encryptor_ = std::make_shared<dave::opus_frame_encryptor>();
        std::lock_guard lock(mutex_);
        dave_ = std::make_unique<dave::dave_session>(parse_snowflake(server_.user_id).value(),
                                                     parse_snowflake(server_.channel_id).value(), frame_encryptor_,
                                                     "voice " + server_.server_id);
      } else {
        spdlog::warn("voice {}: no channel ID, so no DAVE: a server that requires it will close with 4017",
                     server_.server_id);
      }
      send(g, voice_identify{server_.server_id, server_.user_id, server_.session_id, server_.token, dave_version});
    }
  } else if (auto* ready = std::get_if<voice_ready>(&m)) {
    co_await on_ready(g, *ready);
  } else if (auto* description = std::get_if<voice_session_description>(&m)) {
    on_session_description(g, *description);
  } else if (std::holds_alternative<voice_resumed>(m)) {
    // The resumed session keeps its SSRC, key and UDP path.
    g->ready = true;
    if (socket_ && transport_) {
      attach_sink();
      send(g, voice_speaking{speaking_microphone, 0, transport_->ssrc});
    }
    set_status(voice_connection_state::ready, 0, "resumed");
  } else if (auto* ack = std::get_if<voice_heartbeat_ack>(&m)) {
    if (ack->t == g->nonce) {
      g->acked = true;
      const auto rtt = std::chrono::steady_clock::now() - g->heartbeat_sent;
      {
        std::lock_guard lock(mutex_);
        ++heartbeat_acks_;
        rtt_ms_ = std::chrono::duration<double, std::milli>(rtt).count();
      }
      if (options_.on_heartbeat_ack) options_.on_heartbeat_ack(std::chrono::duration_cast<std::chrono::milliseconds>(rtt));
    }
  } else if (auto* speaking = std::get_if<voice_user_speaking>(&m)) {
    users_by_ssrc_[speaking->ssrc] = speaking->user_id;
  } else if (auto* gone = std::get_if<voice_client_disconnect>(&m)) {
    std::erase_if(users_by_ssrc_, [&](const auto& entry) { return entry.second == gone->user_id; });
    std::lock_guard lock(mutex_);
    if (dave_) dave_->on_client_disconnect(gone->user_id);
  } else if (auto* connected = std::get_if<voice_clients_connect>(&m)) {
    // Who else is here (their SSRCs come with their Speaking messages): DAVE adds only them.
    std::lock_guard lock(mutex_);
    if (dave_) dave_->on_clients_connect(connected->user_ids);
  } else if (auto* prepare = std::get_if<dave_prepare_transition>(&m); prepare && dave_) {
    std::lock_guard lock(mutex_);
    send(g, dave_->on_prepare_transition(*prepare, dave::frame_clock::now()));
  } else if (auto* execute = std::get_if<dave_execute_transition>(&m); execute && dave_) {
    std::lock_guard lock(mutex_);
    dave_->on_execute_transition(*execute, dave::frame_clock::now());
  } else if (auto* epoch = std::get_if<dave_prepare_epoch>(&m); epoch && dave_) {
    std::lock_guard lock(mutex_);
    send(g, dave_->on_prepare_epoch(*epoch, dave::frame_clock::now()));
  } else {
    // Unknown opcodes (and DAVE's without a DAVE session): ignored, as the protocol says.
    std::lock_guard lock(mutex_);
    ++ignored_ops_;
  }
  co_return;
}

asio::awaitable<void> voice_connection::heartbeat(std::shared_ptr<gateway> g, std::chrono::milliseconds interval) {
  asio::steady_timer timer(executor_);
  while (g->open && !g->local_close && !stopping_) {
    timer.expires_after(interval);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (!g->open || g->local_close || stopping_) co_return;
    if (!g->acked) {
      // A connection that no longer answers is dead even if TCP has not noticed: end it and resume.
      spdlog::warn("voice {}: heartbeat not acknowledged; reconnecting", server_.server_id);
      g->local_close = {client_ended, "heartbeat not acknowledged"};
      g->resumable_after_local_close = true;
      co_await g->ws.close(client_ended, "heartbeat not acknowledged");
      co_return;
    }
    g->acked = false;
    g->nonce = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    g->heartbeat_sent = std::chrono::steady_clock::now();
    send(g, voice_heartbeat{g->nonce, seq_ack_});
    std::lock_guard lock(mutex_);
    ++heartbeats_;
  }
}

asio::awaitable<void> voice_connection::on_ready(const std::shared_ptr<gateway>& g, const voice_ready& ready) {
  const auto mode = choose_transport_mode(ready.modes);
  if (!mode) throw std::runtime_error("the voice server offers no transport mode spence speaks");
  boost::system::error_code error;
  const auto address = asio::ip::make_address(ready.ip, error);
  if (error) throw std::runtime_error("Ready carries an IP address that cannot be read");
  udp_server_ = udp::endpoint(address, ready.port);
  // A fresh session gets a fresh socket: the server learns our address from its IP discovery. The
  // old socket's receive loop ends with it.
  if (socket_) socket_->close(error);
  ++socket_generation_;
  socket_.emplace(executor_, udp::endpoint(address.is_v4() ? udp::v4() : udp::v6(), 0));
  receive_cipher_.reset();
  transport_.reset();
  {
    std::lock_guard lock(mutex_);
    ssrc_ = ready.ssrc;
    mode_ = std::string(to_string(*mode));
    udp_port_ = socket_->local_endpoint().port();
  }
  const auto ours = co_await discover(udp_server_, ready.ssrc);
  identified_ = true;
  send(g, voice_select_protocol{"udp", ours.address().to_string(), ours.port(), std::string(to_string(*mode))});
  asio::co_spawn(executor_, [self = shared_from_this(), generation = socket_generation_] { return self->receive_loop(generation); },
                 asio::detached);
  if (!keeping_alive_) {
    keeping_alive_ = true;
    asio::co_spawn(executor_, [self = shared_from_this()] { return self->keepalive_loop(); }, asio::detached);
  }
}

asio::awaitable<udp::endpoint> voice_connection::discover(const udp::endpoint& server, std::uint32_t ssrc) {
  const auto request = ip_discovery_request(ssrc);
  std::array<std::uint8_t, max_datagram_bytes> reply{};
  asio::steady_timer timer(executor_);
  for (int attempt = 0; attempt < discovery_attempts; ++attempt) {
    co_await socket_->async_send_to(asio::buffer(request), server, asio::use_awaitable);
    // Datagrams that are not the answer (late audio of another stream) are skipped.
    const auto deadline = std::chrono::steady_clock::now() + discovery_wait;
    for (;;) {
      timer.expires_at(deadline);
      udp::endpoint from;
      auto result = co_await (socket_->async_receive_from(asio::buffer(reply), from, asio::as_tuple(asio::use_awaitable)) ||
                              timer.async_wait(asio::as_tuple(asio::use_awaitable)));
      if (result.index() == 1) break;  // timed out: ask again
      auto [ec, n] = std::get<0>(result);
      if (ec) throw boost::system::system_error(ec, "IP discovery");
      auto found = parse_ip_discovery_response(std::span(reply).first(n));
      if (!found || found->ssrc != ssrc) continue;
      boost::system::error_code bad;
      auto address = asio::ip::make_address(found->address, bad);
      if (bad) throw std::runtime_error("IP discovery answered with an address that cannot be read");
      co_return udp::endpoint(address, found->port);
    }
  }
  throw std::runtime_error("IP discovery got no answer");
}

void voice_connection::on_session_description(const std::shared_ptr<gateway>& g,
                                              const voice_session_description& description) {
  const auto mode = parse_transport_mode(description.mode);
  if (!mode || !socket_) throw std::runtime_error("Session Description for a mode or session not selected");
  voice_transport transport{ssrc_, *mode, description.secret_key, udp_server_};
  receive_cipher_ = std::make_unique<transport_cipher>(*mode, description.secret_key);
  transport_ = transport;
  if (dave_) {
    std::lock_guard lock(mutex_);
    sink_->set_frame_encryptor(frame_encryptor_);
    send(g, dave_->on_session_description(description.dave_protocol_version, dave::frame_clock::now()));
  } else {
    sink_->set_frame_encryptor(nullptr);
    if (description.dave_protocol_version != 0) {
      spdlog::error("voice {}: the session requires DAVE but Identify could not offer it (no channel ID)",
                    server_.server_id);
    }
  }
  attach_sink();
  g->ready = true;
  spdlog::info("voice {}: session described (mode {}, DAVE protocol version {})", server_.server_id, description.mode,
               description.dave_protocol_version);
  // Discord wants a Speaking message before the first audio packet.
  send(g, voice_speaking{speaking_microphone, 0, ssrc_});
  set_status(voice_connection_state::ready, 0, "session described");
}

asio::awaitable<void> voice_connection::receive_loop(std::uint64_t generation) {
  auto self = shared_from_this();
  std::vector<std::uint8_t> buffer(max_datagram_bytes);
  while (!stopping_ && generation == socket_generation_ && socket_->is_open()) {
    auto [ec, n] = co_await socket_->async_receive(asio::buffer(buffer), asio::as_tuple(asio::use_awaitable));
    if (ec == asio::error::operation_aborted || generation != socket_generation_) break;  // replaced or closed
    if (ec) continue;  // ICMP errors surface here on Linux; the next datagram is what counts
    on_datagram(std::span(buffer).first(n));
  }
}

void voice_connection::drop(std::string_view reason) {
  auto it = dropped_.find(reason);
  if (it == dropped_.end()) {
    it = dropped_.emplace(std::string(reason), 0).first;
    spdlog::warn("voice {}: dropping a received datagram: {} (further ones are only counted)", server_.server_id,
                 reason);
  }
  ++it->second;
}

void voice_connection::on_datagram(std::span<const std::uint8_t> datagram) {
  std::lock_guard lock(mutex_);
  if (datagram.size() == keepalive_bytes) {
    ++keepalives_;  // the server's echo
    return;
  }
  if (datagram.size() == ip_discovery_bytes) return;  // a late discovery answer
  if (is_rtcp(datagram)) return drop("rtcp");  // nothing reads sender reports yet
  auto packet = parse_rtp(datagram);
  if (!packet) return drop(drop_reason(packet.error()));
  if (!receive_cipher_) return drop("no key yet");
  auto payload = open_rtp_payload(*packet, datagram, *receive_cipher_, plaintext_);
  if (!payload) return drop(drop_reason(payload.error()));
  // Authenticated, so the sequence number is the sender's: one seen before is a replay.
  auto& stream = received_[packet->header.ssrc];
  if (!stream.window.accept(packet->header.sequence)) return drop("replayed or too old");
  ++stream.packets;
  stream.bytes += payload->size();
  auto user = users_by_ssrc_.find(packet->header.ssrc);
  std::span<const std::uint8_t> opus = *payload;
  if (dave_ && dave_->protocol_version() != 0) {
    // DAVE frames are decrypted with their sender's keys, known by the user ID of its SSRC.
    const auto sender = user == users_by_ssrc_.end() ? std::nullopt : parse_snowflake(user->second);
    if (!sender) return drop("DAVE frame from an SSRC without a user");
    auto frame = dave_->decrypt(*sender, *payload, dave_plaintext_, dave::frame_clock::now());
    if (!frame) return drop("DAVE frame refused");
    opus = *frame;
  }
  if (options_.on_audio) {
    options_.on_audio({packet->header.ssrc, user == users_by_ssrc_.end() ? std::string() : user->second,
                       packet->header.sequence, packet->header.timestamp, opus});
  }
}

asio::awaitable<void> voice_connection::keepalive_loop() {
  auto self = shared_from_this();
  asio::steady_timer timer(executor_);
  std::uint64_t counter = 0;
  while (!stopping_) {
    timer.expires_after(options_.keepalive_interval);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
    if (stopping_ || !socket_ || !socket_->is_open()) continue;
    // An 8-byte counter, as discord.js sends: it keeps NAT mappings open while nothing plays.
    std::array<std::uint8_t, keepalive_bytes> bytes{};
    ++counter;
    for (std::size_t i = 0; i < keepalive_bytes; ++i) bytes[i] = static_cast<std::uint8_t>(counter >> (8 * i));
    boost::system::error_code ignored;
    socket_->send_to(asio::buffer(bytes), udp_server_, 0, ignored);
  }
}

asio::awaitable<void> voice_connection::pace_silence() {
  auto self = shared_from_this();
  // One silence frame per 20 ms, from the connection's strand, while the player has stopped.
  asio::steady_timer timer(executor_);
  auto next = std::chrono::steady_clock::now();
  while (!stopping_ && sink_->send_silence()) {
    next += 20ms;
    timer.expires_at(next);
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  pacing_silence_ = false;
}

boost::json::object voice_connection::stats() const {
  std::lock_guard lock(mutex_);
  boost::json::object received;
  for (const auto& [ssrc, stream] : received_)
    received[std::to_string(ssrc)] = {{"packets", stream.packets}, {"bytes", stream.bytes}};
  boost::json::object dropped;
  for (const auto& [reason, n] : dropped_) dropped[reason] = n;
  return {{"state", to_string(status_.state)},
          {"close_code", status_.close_code},
          {"ssrc", ssrc_},
          {"mode", mode_},
          {"udp_port", udp_port_},
          {"connects", connects_},
          {"resumes", resumes_},
          {"heartbeats", heartbeats_},
          {"heartbeat_acks", heartbeat_acks_},
          {"rtt_ms", rtt_ms_},
          {"keepalive_echoes", keepalives_},
          {"gateway_errors", gateway_errors_},
          {"ignored_ops", ignored_ops_},
          {"received", std::move(received)},
          {"dropped", std::move(dropped)},
          {"sink", sink_->stats()},
          {"dave", dave_ ? boost::json::value(dave_->stats()) : boost::json::value(nullptr)}};
}

std::uint16_t voice_connection::offered_dave_version() const {
  return parse_snowflake(server_.user_id) && parse_snowflake(server_.channel_id) ? dave::max_dave_protocol_version : 0;
}

void voice_connection::on_dave_binary(const std::shared_ptr<gateway>& g, voice_op op, std::span<const std::uint8_t> payload) {
  std::lock_guard lock(mutex_);
  if (!dave_) {
    ++ignored_ops_;
    return;
  }
  const auto now = dave::frame_clock::now();
  switch (op) {
    case voice_op::dave_mls_external_sender: return send(g, dave_->on_external_sender(payload));
    case voice_op::dave_mls_proposals: return send(g, dave_->on_proposals(payload));
    case voice_op::dave_mls_announce_commit_transition: return send(g, dave_->on_announce_commit(payload, now));
    case voice_op::dave_mls_welcome: return send(g, dave_->on_welcome(payload, now));
    default: ++ignored_ops_;
  }
}

}  // namespace spence::net
