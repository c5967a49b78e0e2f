#pragma once
// The Lavalink v4 node: REST and WebSocket exactly as Lavalink v4 serves them (see
// ../shared/reference/lavalink-v4.md), in front of spence's guild players and voice connections.
// It is the http_handler of an http_server; everything it holds lives on one strand (the
// executor given), so the API's requests, the players' events and the timers never race.
//
// Sessions. A client's WebSocket (/v4/websocket, with Authorization and User-Id) opens a session:
// `ready` first, then `stats` at once and every stats interval, the players' events and position
// updates as they happen. Outbound messages wait in a bounded queue; past its bound the oldest
// are dropped and counted (a client that cannot keep up loses position updates, never the node's
// memory). A session made resumable (PATCH /v4/sessions/{id}) that loses its WebSocket keeps its
// players playing and queues their messages, up to the same bound, until the client comes back
// with Session-Id or the timeout destroys it; a session that is not resumable is destroyed at once.
//
// Players. One per session and guild, as in Lavalink (two bots may play in one guild through one
// node): a player actor and a voice connection actor (/node/guild/<id>/<n>/player and .../voice)
// that share a voice stream named by player_key (their sink; their notices carry it back). They
// are created by the session's first PATCH for the guild (at most max_players; then 503) and
// destroyed by DELETE, by their session's end, or after idle_timeout without a track.
// A track plays from its encoded form: the player opens what play_track names, so the node hands
// it the encoded track itself and the notices name it back, which gives the events their Track.
//
// The password is compared in constant time and never logged; voice tokens and session ids reach
// the voice actor wrapped as secrets.

#include "actors/runtime.hpp"
#include "engine/player/player_actor.hpp"
#include "net/http/http_server.hpp"
#include "net/lavalink/load_result.hpp"
#include "net/lavalink/metrics_text.hpp"
#include "net/lavalink/player_update.hpp"
#include "net/lavalink/system_usage.hpp"
#include "net/lavalink/track_codec.hpp"
#include "net/voice/voice_connection_actor.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace spence::net::lavalink {

struct lavalink_node_options {
  std::string password;
  std::vector<std::string> source_managers;  // /v4/info's sourceManagers: "http", "local"
  std::size_t max_players = 1000;
  std::chrono::seconds idle_timeout{300};  // 0: never
  std::size_t max_session_queue_messages = 1000;
  std::chrono::milliseconds stats_interval{60'000};  // lavalink-client drops a socket after 65 s without
  std::chrono::milliseconds voice_connect_timeout{10'000};
  std::uint32_t player_update_interval_ms = 5000;
  engine::player_settings player_settings;  // the Opus encoder's, for players that transcode
  std::uint32_t seed = 0;  // session ids; 0: from the system's random device
  // Loads an identifier (the resolvers' router). Awaited on the node's strand: it must not block.
  std::function<boost::asio::awaitable<load_result>(const std::string& identifier)> load;
  // Where the Prometheus page is served (as Lavalink's, without authorization); none: not served.
  std::optional<std::string> metrics_endpoint;
  // Families the application adds to that page (the resolvers'). Awaited on the node's strand.
  std::function<boost::asio::awaitable<void>(metrics_text&)> extra_metrics;
};

// The version the node reports: Lavalink's API version it speaks, with spence's as build metadata.
inline constexpr std::string_view lavalink_api_semver = "4.2.2+spence.0.1.0";

class lavalink_node final : public http_handler, public std::enable_shared_from_this<lavalink_node> {
 public:
  // `strand` must not run two handlers at once. Players are spawned on `runtime`, whose services
  // the player and voice actors need (voice_guilds provides them); their notices go to the effect
  // sink "lavalink.events", which the node registers.
  lavalink_node(const boost::asio::any_io_executor& strand, actors::runtime& runtime, lavalink_node_options options);
  ~lavalink_node() override;

  // Starts the idle-player sweep.
  void start();
  boost::asio::awaitable<http_answer> answer(const http_request& request) override;
  http_response refuse(boost::beast::http::status status, std::string_view reason) override;

  // Graceful shutdown: every player stops (its voice sink sends the closing silence frames), every
  // session's WebSocket closes with 1001. Completes on the strand; call from outside it.
  boost::asio::awaitable<void> shut_down();

  struct counters {
    std::size_t sessions = 0;
    std::size_t players = 0;
    std::uint64_t dropped_messages = 0;  // over a session's queue bound
  };
  counters snapshot() const;  // any thread

  // Defined in lavalink_node_state.hpp, for the node's own files.
  struct session;
  struct guild_player;
  struct request_context;

 private:
  class event_sink;

  // REST (lavalink_node_rest.cpp).
  boost::asio::awaitable<http_response> rest(const http_request& request, const request_context& rc);
  boost::asio::awaitable<http_response> load_tracks(const request_context& rc);
  http_response decode_tracks(const http_request& request, const request_context& rc);
  boost::asio::awaitable<http_response> session_players(const http_request& request, const request_context& rc,
                                                        std::string_view session_id, std::string_view rest_of_path);
  boost::asio::awaitable<http_response> patch_player(const http_request& request, const request_context& rc,
                                                     session& s, const std::string& guild);
  http_response patch_session(const http_request& request, const request_context& rc, session& s);
  boost::json::object info_json() const;
  boost::asio::awaitable<boost::json::object> stats_json(const session* for_session);
  boost::asio::awaitable<http_response> metrics_page();  // lavalink_node_metrics.cpp
  std::size_t playing_players() const;  // with a track, not paused: stats' playingPlayers

  // Players (lavalink_node_players.cpp).
  guild_player* find_player(const std::string& key);  // by player_key
  boost::asio::awaitable<boost::json::object> player_json(guild_player& p);
  void destroy_player(const std::string& key, std::string_view why);
  boost::asio::awaitable<bool> connect_voice(guild_player& p, const voice_update& voice);
  void on_notice(const std::string& line);
  void forward_notice(const std::string& line);  // throws on a notice of the wrong shape
  void sweep_idle_players();

  // Sessions (lavalink_node_sessions.cpp).
  http_answer open_session(const http_request& request, const request_context& rc);
  boost::asio::awaitable<void> run_session(std::shared_ptr<session> s, websocket_connection ws);
  boost::asio::awaitable<void> write_session(std::shared_ptr<session> s, std::shared_ptr<websocket_connection> ws);
  void send(session& s, boost::json::object message);
  void end_session(const std::shared_ptr<session>& s, std::string_view why);
  void schedule_stats(const std::shared_ptr<session>& s);
  std::string new_session_id();

  boost::asio::any_io_executor strand_;
  actors::runtime& runtime_;
  lavalink_node_options options_;
  std::chrono::steady_clock::time_point started_;
  std::mt19937_64 random_;
  std::map<std::string, std::shared_ptr<session>> sessions_;
  std::map<std::string, std::unique_ptr<guild_player>> players_;  // by player_key
  std::uint64_t next_player_ = 1;
  boost::asio::steady_timer sweep_;
  bool shutting_down_ = false;
  cpu_meter cpu_;

  mutable std::mutex counters_mutex_;
  counters counters_;
};

}  // namespace spence::net::lavalink
