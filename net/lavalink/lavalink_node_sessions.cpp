// The node's sessions: a client's WebSocket, its bounded outbound queue, stats, and resuming.

#include "net/lavalink/lavalink_node.hpp"

#include "net/lavalink/lavalink_node_state.hpp"
#include "net/lavalink/system_usage.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <spdlog/spdlog.h>

namespace spence::net::lavalink {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;

std::string lavalink_node::new_session_id() {
  // Lavalink's form: 16 characters of [a-z0-9].
  static constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
  for (;;) {
    std::string id;
    for (int i = 0; i < 16; ++i) id.push_back(alphabet[random_() % alphabet.size()]);
    if (!sessions_.contains(id)) return id;
  }
}

http_answer lavalink_node::open_session(const http_request& request, const request_context& rc) {
  const auto user = request.find("User-Id");
  if (user == request.end() || user->value().empty() || user->value() == "0")
    return rc.error(http::status::bad_request, "User-Id must be given");
  if (shutting_down_) return rc.error(http::status::service_unavailable, "the node is shutting down");
  std::shared_ptr<session> s;
  bool resumed = false;
  if (const auto asked = request.find("Session-Id"); asked != request.end()) {
    auto it = sessions_.find(std::string(asked->value()));
    // Only a resumable session whose socket is gone can be taken over, and only by its own bot.
    if (it != sessions_.end() && it->second->resuming && !it->second->ws && it->second->user_id == user->value()) {
      s = it->second;
      resumed = true;
      s->expiry.cancel();
    }
  }
  if (!s) {
    s = std::make_shared<session>(strand_, new_session_id(), std::string(user->value()));
    sessions_[s->id] = s;
    std::lock_guard lock(counters_mutex_);
    counters_.sessions = sessions_.size();
  }
  const auto client = request.find("Client-Name");
  spdlog::info("lavalink: session {} {} for {} ({})", s->id, resumed ? "resumed" : "opened",
               client == request.end() ? std::string("a client without Client-Name") : std::string(client->value()),
               std::string(user->value()));
  http_upgrade upgrade;
  upgrade.headers.set("Session-Resumed", resumed ? "true" : "false");
  upgrade.headers.set("Lavalink-Api-Version", "4");
  upgrade.run = [self = shared_from_this(), s, resumed](websocket_connection ws) -> asio::awaitable<void> {
    // ready first; on resume, then what was queued, then where each player stands.
    auto ready = json::serialize(json::object{{"op", "ready"}, {"resumed", resumed}, {"sessionId", s->id}});
    s->queue.push_front(std::move(ready));
    if (resumed) {
      for (auto& [key, p] : self->players_)
        if (p->session_id == s->id) self->send(*s, player_update_json(*p));
    }
    co_await self->run_session(s, std::move(ws));
  };
  return upgrade;
}

asio::awaitable<void> lavalink_node::run_session(std::shared_ptr<session> s, websocket_connection connection) {
  auto ws = std::make_shared<websocket_connection>(std::move(connection));
  s->ws = ws;
  schedule_stats(s);
  asio::co_spawn(strand_, write_session(s, ws), asio::detached);
  for (;;) {
    auto message = co_await ws->read();
    if (auto* closed = std::get_if<websocket_closed>(&message)) {
      spdlog::info("lavalink: session {}: WebSocket closed ({} {})", s->id, closed->code, closed->reason);
      break;
    }
    // Lavalink v4 takes nothing over the WebSocket; it only logs that.
    spdlog::debug("lavalink: session {}: ignored a client message (v4 takes none)", s->id);
  }
  if (s->ws != ws) co_return;  // replaced already
  s->ws.reset();
  s->wake.cancel();
  s->stats.cancel();
  if (s->ended) co_return;
  if (!s->resuming || shutting_down_) {
    end_session(s, "its WebSocket closed");
    co_return;
  }
  spdlog::info("lavalink: session {} waits {} s to be resumed", s->id, s->timeout.count());
  s->expiry.expires_after(s->timeout);
  s->expiry.async_wait([self = shared_from_this(), s](boost::system::error_code ec) {
    if (!ec && !s->ws && !s->ended) self->end_session(s, "it was not resumed in time");
  });
}

asio::awaitable<void> lavalink_node::write_session(std::shared_ptr<session> s, std::shared_ptr<websocket_connection> ws) {
  while (s->ws == ws) {
    if (s->queue.empty()) {
      co_await s->wake.async_wait(asio::as_tuple(asio::use_awaitable));
      continue;
    }
    auto message = std::move(s->queue.front());
    s->queue.pop_front();
    try {
      co_await ws->send_text(message);
    } catch (const boost::system::system_error&) {
      s->queue.push_front(std::move(message));  // a resumed session gets it still
      co_return;
    }
  }
}

void lavalink_node::send(session& s, json::object message) {
  if (s.ended) return;
  s.queue.push_back(json::serialize(message));
  if (s.queue.size() > options_.max_session_queue_messages) {
    s.queue.pop_front();
    std::lock_guard lock(counters_mutex_);
    if (counters_.dropped_messages++ == 0)
      spdlog::warn("lavalink: session {} is not reading its messages; the oldest are dropped", s.id);
  }
  s.wake.cancel();
}

void lavalink_node::schedule_stats(const std::shared_ptr<session>& s) {
  asio::co_spawn(strand_, [self = shared_from_this(), s, ws = s->ws]() -> asio::awaitable<void> {
    while (s->ws == ws && !s->ended) {
      auto figures = co_await self->stats_json(s.get());
      if (s->ws != ws || s->ended) co_return;
      json::object stats{{"op", "stats"}};
      for (auto& field : figures) stats.insert(std::move(field));
      self->send(*s, std::move(stats));
      s->stats.expires_after(self->options_.stats_interval);
      co_await s->stats.async_wait(asio::as_tuple(asio::use_awaitable));
    }
  }, asio::detached);
}

void lavalink_node::end_session(const std::shared_ptr<session>& s, std::string_view why) {
  if (s->ended) return;
  spdlog::info("lavalink: session {} ends: {}", s->id, why);
  std::vector<std::string> keys;
  for (const auto& [key, p] : players_)
    if (p->session_id == s->id) keys.push_back(key);
  for (const auto& key : keys) destroy_player(key, "its session ended");
  s->ended = true;
  s->expiry.cancel();
  s->stats.cancel();
  if (auto ws = s->ws) {
    asio::co_spawn(strand_, [ws]() -> asio::awaitable<void> { co_await ws->close(1001, "session ended"); }, asio::detached);
  }
  s->wake.cancel();
  sessions_.erase(s->id);
  std::lock_guard lock(counters_mutex_);
  counters_.sessions = sessions_.size();
}

}  // namespace spence::net::lavalink
