// The node's front door: authentication, the routing of a request to REST or to a session's
// WebSocket, the players' notices, and shutdown. REST, players and sessions have files of their own.

#include "net/lavalink/lavalink_node.hpp"

#include "net/lavalink/lavalink_json.hpp"
#include "net/lavalink/lavalink_node_state.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

namespace spence::net::lavalink {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

// The players' and voice connections' notices arrive on their strands; the node takes them on its own.
class lavalink_node::event_sink final : public actors::effect_sink {
 public:
  explicit event_sink(std::weak_ptr<lavalink_node> node, asio::any_io_executor strand)
      : node_(std::move(node)), strand_(std::move(strand)) {}
  void write(std::span<const std::byte> bytes) override {
    std::string line(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    asio::post(strand_, [node = node_, line = std::move(line)] {
      if (auto n = node.lock()) n->on_notice(line);
    });
  }

 private:
  std::weak_ptr<lavalink_node> node_;
  asio::any_io_executor strand_;
};

lavalink_node::lavalink_node(const asio::any_io_executor& strand, actors::runtime& runtime,
                             lavalink_node_options options)
    : strand_(strand),
      runtime_(runtime),
      options_(std::move(options)),
      started_(std::chrono::steady_clock::now()),
      random_(options_.seed ? options_.seed : std::random_device{}()),
      sweep_(strand) {}

lavalink_node::~lavalink_node() = default;

void lavalink_node::start() {
  runtime_.add_effect_sink(std::string(events_sink_name), std::make_shared<event_sink>(weak_from_this(), strand_));
  asio::post(strand_, [self = shared_from_this()] { self->sweep_idle_players(); });
}

lavalink_node::counters lavalink_node::snapshot() const {
  std::lock_guard lock(counters_mutex_);
  return counters_;
}

http_response lavalink_node::refuse(http::status status, std::string_view reason) {
  return json_error(status, reason, "", false);
}

namespace {

// Equal in time independent of where the strings differ, so the password cannot be found a byte
// at a time by timing refusals.
bool same_secret(std::string_view given, std::string_view expected) {
  if (given.size() != expected.size()) return false;
  return CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

asio::awaitable<http_answer> lavalink_node::answer(const http_request& request) {
  request_context rc(request);
  // Lavalink exempts its Prometheus endpoint from authorization, so a scraper needs no password.
  if (options_.metrics_endpoint && rc.path == *options_.metrics_endpoint) {
    if (request.method() != http::verb::get) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return co_await metrics_page();
  }
  // Lavalink's interceptor answers with an empty body: no hint for a client without the password.
  const auto authorization = request.find(http::field::authorization);
  if (authorization == request.end()) co_return rc.bare(http::status::unauthorized);
  if (!same_secret(authorization->value(), options_.password)) {
    spdlog::warn("lavalink: refused {} {} from a client with a wrong password", std::string(request.method_string()),
                 rc.path);
    co_return rc.bare(http::status::forbidden);
  }
  if (rc.path == "/v4/websocket") {
    if (!boost::beast::websocket::is_upgrade(request))
      co_return rc.error(http::status::bad_request, "/v4/websocket takes a WebSocket upgrade");
    co_return open_session(request, rc);
  }
  auto response = co_await rest(request, rc);
  spdlog::debug("lavalink: {} {} -> {}", std::string(request.method_string()), std::string(request.target()),
                response.result_int());
  co_return response;
}

void lavalink_node::on_notice(const std::string& line) {
  // Notices are the node's own actors' output; one it cannot read is a bug to log, not a reason
  // to stop the strand every session shares.
  try {
    forward_notice(line);
  } catch (const std::exception& e) {
    spdlog::error("lavalink: a notice the node cannot read ({}): {}", e.what(), line);
  }
}

void lavalink_node::forward_notice(const std::string& line) {
  boost::system::error_code ec;
  auto value = json::parse(line, ec);
  if (ec || !value.is_object()) {
    spdlog::error("lavalink: a notice that is not JSON: {}", ec.message());
    return;
  }
  const auto& notice = value.as_object();
  const auto* type = notice.if_contains("type");
  const auto* stream = notice.if_contains("voice_stream");  // the node names its actors' streams by player_key
  if (!type || !type->is_string() || !stream || !stream->is_string()) return;
  auto* p = find_player(std::string(stream->as_string()));
  if (!p) return;  // a player destroyed since
  auto s = sessions_.find(p->session_id);
  if (s == sessions_.end()) return;
  const std::string_view kind = type->as_string();
  if (kind == "VoiceStateChanged") {
    const bool connected = notice.at("state").as_string() == "ready";
    if (connected == p->connected) return;
    p->connected = connected;
    p->ping_ms = -1;  // until the new connection's first heartbeat is acknowledged
    send(*s->second, player_update_json(*p));
    return;
  }
  if (kind == "VoicePing") {
    p->ping_ms = notice.at("ping_ms").to_number<std::int64_t>();  // reported with the next playerUpdate
    return;
  }
  if (kind == "WebSocketClosedEvent") {
    p->connected = false;
    send(*s->second, json::object{{"op", "event"},
                                  {"type", "WebSocketClosedEvent"},
                                  {"guildId", p->guild},
                                  {"code", notice.at("code")},
                                  {"reason", notice.at("reason")},
                                  {"byRemote", notice.at("by_remote")}});
    send(*s->second, player_update_json(*p));
    return;
  }
  const auto track = notice.contains("track") ? std::string(notice.at("track").as_string()) : std::string();
  p->position_ms = notice.contains("position_ms") ? notice.at("position_ms").to_number<std::int64_t>() : p->position_ms;
  if (kind == "PlayerUpdate") {
    send(*s->second, player_update_json(*p));
    return;
  }
  // The notice names the track by its encoded form, which is what the player was told to play.
  auto decoded = decode_track(track);
  if (!decoded) {
    spdlog::error("lavalink: guild {}: a notice names a track that does not decode", p->guild);
    return;
  }
  const auto& user_data = (p->current && p->current->encoded == track) ? p->current->user_data : json::object{};
  json::object event{{"op", "event"}, {"type", kind}, {"guildId", p->guild}, {"track", track_json(track, *decoded, user_data)}};
  if (kind == "TrackEndEvent") {
    event["reason"] = notice.at("reason");
    if (p->current && p->current->encoded == track && notice.at("reason").as_string() != "replaced") {
      p->current.reset();
      p->idle_since = std::chrono::steady_clock::now();
    }
  } else if (kind == "TrackExceptionEvent") {
    const auto message = std::string(notice.at("message").as_string());
    event["exception"] = exception_json(message, notice.at("severity").as_string(), message);
  } else if (kind == "TrackStuckEvent") {
    event["thresholdMs"] = notice.at("threshold_ms");
  }
  send(*s->second, std::move(event));
}

asio::awaitable<void> lavalink_node::shut_down() {
  co_await asio::post(strand_, asio::use_awaitable);
  shutting_down_ = true;
  sweep_.cancel();
  std::vector<std::string> keys;
  for (const auto& [key, p] : players_) keys.push_back(key);
  for (const auto& key : keys) destroy_player(key, "the node is shutting down");
  for (auto& [id, s] : std::map(sessions_)) end_session(s, "the node is shutting down");
}

}  // namespace spence::net::lavalink
