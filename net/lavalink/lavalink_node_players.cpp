// The node's guild players: their actors, what the node remembers of them for the API, voice
// connections, and the idle sweep.

#include "net/lavalink/lavalink_node.hpp"

#include "net/lavalink/lavalink_filters.hpp"
#include "net/lavalink/lavalink_json.hpp"
#include "net/lavalink/lavalink_node_state.hpp"

#include "actors/reply.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

namespace spence::net::lavalink {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace std::chrono_literals;

namespace {

// Five silence frames of 20 ms after the last audio, and a margin for the tick that sends the last.
constexpr auto silence_tail = 160ms;

}  // namespace

std::int64_t unix_time_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json::object player_update_json(const lavalink_node::guild_player& p) {
  return json::object{{"op", "playerUpdate"},
                      {"guildId", p.guild},
                      {"state", json::object{{"time", unix_time_ms()},
                                             {"position", p.current ? p.position_ms : 0},
                                             {"connected", p.connected},
                                             {"ping", p.connected ? p.ping_ms : -1}}}};
}

lavalink_node::guild_player* lavalink_node::find_player(const std::string& key) {
  auto it = players_.find(key);
  return it == players_.end() ? nullptr : it->second.get();
}

asio::awaitable<json::object> lavalink_node::player_json(guild_player& p) {
  // The position the player itself knows now, rather than the last notice's.
  if (p.current) {
    auto state = co_await actors::ask<engine::player_state>(
        p.player, [](actors::reply_to<engine::player_state> to) { return engine::get_player_state{to}; }, 2s);
    if (state) p.position_ms = state->position_ms;
  }
  json::object voice{{"token", p.voice_state ? p.voice_state->token : ""},
                     {"endpoint", p.voice_state ? p.voice_state->endpoint : ""},
                     {"sessionId", p.voice_state ? p.voice_state->session_id : ""},
                     {"channelId", p.voice_state ? json::value(p.voice_state->channel_id) : json::value(nullptr)}};
  json::value track = nullptr;
  if (p.current) track = track_json(p.current->encoded, p.current->track, p.current->user_data, p.position_ms);
  co_return json::object{{"guildId", p.guild},
                         {"track", std::move(track)},
                         {"volume", p.volume},
                         {"paused", p.paused},
                         {"state", player_update_json(p).at("state")},
                         {"voice", std::move(voice)},
                         {"filters", filters_to_json(p.filters)}};
}

void lavalink_node::destroy_player(const std::string& key, std::string_view why) {
  auto it = players_.find(key);
  if (it == players_.end()) return;
  auto& p = *it->second;
  spdlog::info("lavalink: guild {}: the player of session {} destroyed ({})", p.guild, p.session_id, why);
  // The player ends its track (cleanup) and stops; its sink then sends the five closing silence
  // frames, paced at 20 ms, so the voice connection is left only after they are out.
  (void)p.player.try_send(engine::destroy_player{});
  auto leave = std::make_shared<asio::steady_timer>(strand_, silence_tail);
  leave->async_wait([leave, voice = p.voice](boost::system::error_code) {
    (void)voice.try_send(leave_voice{});
    if (auto cell = voice.cell()) cell->request_stop("player destroyed");
  });
  players_.erase(it);
  std::lock_guard lock(counters_mutex_);
  counters_.players = players_.size();
}

asio::awaitable<bool> lavalink_node::connect_voice(guild_player& p, const voice_update& voice) {
  // Lavalink answers the PATCH once the connection is up, so the track that follows is heard from
  // its start. The same voice state again changes nothing.
  if (p.voice_state == voice && p.connected) co_return true;
  p.voice_state = voice;
  p.connected = false;
  p.ping_ms = -1;
  const auto key = p.key;
  const auto user = [&] {
    auto s = sessions_.find(p.session_id);
    return s == sessions_.end() ? std::string() : s->second->user_id;
  }();
  if (p.voice.try_send(join_voice{voice.endpoint, user, voice.channel_id, {voice.session_id}, {voice.token}}))
    co_return false;
  const auto give_up = std::chrono::steady_clock::now() + options_.voice_connect_timeout;
  asio::steady_timer poll(co_await asio::this_coro::executor);
  while (std::chrono::steady_clock::now() < give_up) {
    auto* still = find_player(key);
    if (!still || still != &p) co_return false;  // destroyed meanwhile
    auto state = co_await actors::ask<voice_state>(
        p.voice, [](actors::reply_to<voice_state> to) { return get_voice_state{to}; }, 2s);
    if (!find_player(key)) co_return false;
    if (state && state->state == "ready") {
      p.connected = true;
      co_return true;
    }
    if (state && state->state == "closed") co_return false;
    poll.expires_after(10ms);
    co_await poll.async_wait(asio::as_tuple(asio::use_awaitable));
  }
  co_return false;
}

void lavalink_node::sweep_idle_players() {
  if (shutting_down_) return;
  if (options_.idle_timeout.count() > 0) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::string> idle;
    for (const auto& [key, p] : players_)
      if (!p->current && now - p->idle_since >= options_.idle_timeout) idle.push_back(key);
    for (const auto& key : idle) destroy_player(key, "idle");
  }
  sweep_.expires_after(std::min<std::chrono::steady_clock::duration>(10s, std::max<std::chrono::steady_clock::duration>(
                                                                              options_.idle_timeout / 4, 100ms)));
  sweep_.async_wait([self = weak_from_this()](boost::system::error_code ec) {
    if (auto node = self.lock(); node && !ec) node->sweep_idle_players();
  });
}

}  // namespace spence::net::lavalink
