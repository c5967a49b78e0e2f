#pragma once
// What the node's files share and nobody else needs: a session, a guild player, a request's
// parsed target and the responses Lavalink gives. Private to net/lavalink/lavalink_node*.cpp.

#include "net/lavalink/lavalink_node.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace spence::net::lavalink {

// The effect sink the node's players and voice connections emit to.
inline constexpr std::string_view events_sink_name = "lavalink.events";

struct lavalink_node::session {
  session(const boost::asio::any_io_executor& strand, std::string id, std::string user_id)
      : id(std::move(id)), user_id(std::move(user_id)), wake(strand), expiry(strand), stats(strand) {
    wake.expires_at(boost::asio::steady_timer::time_point::max());
  }
  std::string id;
  std::string user_id;
  bool resuming = false;
  std::chrono::seconds timeout{60};
  std::deque<std::string> queue;              // outbound, at most the node's bound
  std::shared_ptr<websocket_connection> ws;   // null while disconnected
  boost::asio::steady_timer wake;             // the writer waits on it; cancel() wakes it
  boost::asio::steady_timer expiry;           // a disconnected resumable session's end
  boost::asio::steady_timer stats;
  bool ended = false;
};

struct lavalink_node::guild_player {
  struct playing {
    std::string encoded;
    decoded_track track;
    boost::json::object user_data;
  };
  std::string guild;
  std::string session_id;
  std::string key;  // player_key(session_id, guild): its entry in players_ and its actors' voice stream
  actors::actor_ref<engine::player_actor::protocol> player;
  actors::actor_ref<voice_connection_actor::protocol> voice;
  std::optional<playing> current;
  int volume = 100;
  bool paused = false;
  engine::filter_settings filters;
  std::optional<voice_update> voice_state;
  bool connected = false;
  std::int64_t ping_ms = -1;  // the voice connection's last heartbeat round trip while connected
  std::int64_t position_ms = 0;  // as the last notice said
  std::chrono::steady_clock::time_point idle_since = std::chrono::steady_clock::now();
};

// A request's target, split, and the responses the node gives to it.
struct lavalink_node::request_context {
  explicit request_context(const http_request& request);

  std::string path;                          // the target without its query
  std::map<std::string, std::string> query;  // decoded
  bool trace = false;                        // ?trace=true: error bodies carry a trace

  http_response bare(boost::beast::http::status status) const;
  http_response error(boost::beast::http::status status, std::string_view message) const;
  http_response json(boost::beast::http::status status, const boost::json::value& body) const;
  http_response text(std::string body) const;
};

// Players are per session, as in Lavalink: two bots (or two sessions) may each have one in a
// guild, each with its own voice connection and voice stream, named by this key.
inline std::string player_key(const std::string& session_id, const std::string& guild) {
  return session_id + "/" + guild;
}

// A response carrying Lavalink's error body.
http_response json_error(boost::beast::http::status status, std::string_view message, std::string_view path, bool trace);
// Every response carries Lavalink-Api-Version: 4.
void add_api_version(http_response& response);

// {"op":"playerUpdate","guildId":...,"state":{...}} for the player as the node last heard of it.
boost::json::object player_update_json(const lavalink_node::guild_player& p);
std::int64_t unix_time_ms();

}  // namespace spence::net::lavalink
