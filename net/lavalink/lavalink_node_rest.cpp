// The node's REST API, route by route, with Lavalink's status codes and messages.

#include "net/lavalink/lavalink_node.hpp"

#include "net/lavalink/lavalink_filters.hpp"
#include "net/lavalink/lavalink_json.hpp"
#include "net/lavalink/lavalink_node_state.hpp"
#include "net/lavalink/system_usage.hpp"

#include "actors/reply.hpp"
#include "engine/player/frame_statistics.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>

namespace spence::net::lavalink {

namespace asio = boost::asio;
namespace http = boost::beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;

void add_api_version(http_response& response) { response.set("Lavalink-Api-Version", "4"); }

http_response json_error(http::status status, std::string_view message, std::string_view path, bool trace) {
  auto response = make_http_response(
      status, "application/json",
      json::serialize(error_json(static_cast<unsigned>(status), message, path, trace, unix_time_ms())));
  add_api_version(response);
  return response;
}

lavalink_node::request_context::request_context(const http_request& request) {
  auto target = boost::urls::parse_origin_form(request.target());
  if (!target) {
    path = std::string(request.target().substr(0, request.target().find('?')));
    return;
  }
  path = std::string(target->path());
  for (const auto& param : target->params()) query[param.key] = param.value;
  trace = query.contains("trace") && query["trace"] == "true";
}

http_response lavalink_node::request_context::bare(http::status status) const {
  auto response = make_http_response(status, "", "");
  add_api_version(response);
  return response;
}

http_response lavalink_node::request_context::error(http::status status, std::string_view message) const {
  return json_error(status, message, path, trace);
}

http_response lavalink_node::request_context::json(http::status status, const json::value& body) const {
  auto response = make_http_response(status, "application/json", json::serialize(body));
  add_api_version(response);
  return response;
}

http_response lavalink_node::request_context::text(std::string body) const {
  auto response = make_http_response(http::status::ok, "text/plain", std::move(body));
  add_api_version(response);
  return response;
}

namespace {

// "/v4/sessions/abc/players/123" -> {"v4", "sessions", "abc", "players", "123"}
std::vector<std::string_view> segments(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto end = path.find('/');
    out.push_back(path.substr(0, end));
    path = end == std::string_view::npos ? std::string_view() : path.substr(end);
  }
  return out;
}

bool is_snowflake(std::string_view s) {
  return !s.empty() && s.size() <= 20 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

asio::awaitable<http_response> lavalink_node::rest(const http_request& request, const request_context& rc) {
  const auto method = request.method();
  const auto parts = segments(rc.path);
  auto only = [&](http::verb allowed) { return method == allowed; };
  if (rc.path == "/version") {
    if (!only(http::verb::get)) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return rc.text(std::string(lavalink_api_semver));
  }
  if (parts.size() < 2 || parts[0] != "v4") co_return rc.error(http::status::not_found, "Not Found");
  const auto route = parts[1];
  if (route == "info" && parts.size() == 2) {
    if (!only(http::verb::get)) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return rc.json(http::status::ok, info_json());
  }
  if (route == "stats" && parts.size() == 2) {
    if (!only(http::verb::get)) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return rc.json(http::status::ok, co_await stats_json(nullptr));
  }
  if (route == "loadtracks" && parts.size() == 2) {
    if (!only(http::verb::get)) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return co_await load_tracks(rc);
  }
  if ((route == "decodetrack" || route == "decodetracks") && parts.size() == 2) co_return decode_tracks(request, rc);
  if (route == "routeplanner") {
    // spence rotates no addresses: Lavalink without a route planner answers so.
    if (parts.size() == 3 && parts[2] == "status") co_return rc.bare(http::status::no_content);
    co_return rc.error(http::status::internal_server_error, "Can't access disabled route planner");
  }
  if (route == "sessions" && parts.size() >= 3) {
    const auto session_id = parts[2];
    std::string_view rest_of_path;
    if (parts.size() > 3) rest_of_path = std::string_view(rc.path).substr(rc.path.find(session_id) + session_id.size());
    co_return co_await session_players(request, rc, session_id, rest_of_path);
  }
  co_return rc.error(http::status::not_found, "Not Found");
}

json::object lavalink_node::info_json() const {
  const auto semver = std::string(lavalink_api_semver);
  json::array filters;
  for (const auto name : filter_names) filters.push_back(json::string(name));
  json::array sources;
  for (const auto& s : options_.source_managers) sources.push_back(json::string(s));
  return json::object{
      {"version", json::object{{"semver", semver},
                               {"major", 4},
                               {"minor", 2},
                               {"patch", 2},
                               {"preRelease", nullptr},
                               {"build", semver.substr(semver.find('+') + 1)}}},
      {"buildTime", 0},
      {"git", json::object{{"branch", "main"}, {"commit", "unknown"}, {"commitTime", 0}}},
      {"jvm", "none (spence is native)"},
      {"lavaplayer", "none (spence reads media itself)"},
      {"sourceManagers", std::move(sources)},
      {"filters", std::move(filters)},
      {"plugins", json::array{}}};
}

std::size_t lavalink_node::playing_players() const {
  return static_cast<std::size_t>(std::count_if(players_.begin(), players_.end(), [](const auto& entry) {
    return entry.second->current && !entry.second->paused;
  }));
}

asio::awaitable<json::object> lavalink_node::stats_json(const session* for_session) {
  const auto playing = playing_players();
  const auto memory = read_memory_usage();
  const auto cpu = cpu_.read();
  json::object stats{
      {"players", players_.size()},
      {"playingPlayers", playing},
      {"uptime", std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_).count()},
      {"memory", json::object{{"free", memory.free}, {"used", memory.used}, {"allocated", memory.allocated},
                              {"reservable", memory.reservable}}},
      {"cpu", json::object{{"cores", cpu.cores}, {"systemLoad", cpu.system_load}, {"lavalinkLoad", cpu.process_load}}}};
  if (!for_session) co_return stats;
  // Lavalink's frameStats: the session's playing players with a whole last minute, averaged.
  std::vector<actors::actor_ref<engine::player_actor::protocol>> refs;
  for (const auto& [key, p] : players_)
    if (p->session_id == for_session->id && p->current && !p->paused) refs.push_back(p->player);
  std::vector<engine::frame_counts> minutes;
  for (const auto& ref : refs) {
    auto state = co_await actors::ask<engine::player_state>(
        ref, [](actors::reply_to<engine::player_state> to) { return engine::get_player_state{to}; }, 1s);
    if (state && state->last_minute) minutes.push_back(*state->last_minute);
  }
  if (!minutes.empty()) {
    const auto n = static_cast<std::int64_t>(minutes.size());
    std::int64_t sent = 0, nulled = 0, deficit = 0;
    for (const auto& m : minutes) {
      sent += m.sent;
      nulled += m.nulled;
      deficit += m.deficit;
    }
    stats["frameStats"] = json::object{{"sent", sent / n}, {"nulled", nulled / n}, {"deficit", deficit / n}};
  }
  co_return stats;
}

asio::awaitable<http_response> lavalink_node::load_tracks(const request_context& rc) {
  const auto it = rc.query.find("identifier");
  if (it == rc.query.end() || it->second.empty())
    co_return rc.error(http::status::bad_request, "identifier must be given");
  const auto identifier = it->second;
  const auto result = co_await options_.load(identifier);
  co_return rc.json(http::status::ok, load_result_json(result));
}

http_response lavalink_node::decode_tracks(const http_request& request, const request_context& rc) {
  auto decoded_json = [](const std::string& encoded) -> std::optional<json::object> {
    auto track = decode_track(encoded);
    if (!track) return std::nullopt;
    return track_json(encoded, *track);
  };
  if (rc.path == "/v4/decodetrack") {
    if (request.method() != http::verb::get) return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    auto it = rc.query.find("encodedTrack");
    if (it == rc.query.end()) it = rc.query.find("track");  // Shoukaku's name for it
    if (it == rc.query.end() || it->second.empty()) return rc.error(http::status::bad_request, "No track to decode provided");
    auto track = decoded_json(it->second);
    if (!track) return rc.error(http::status::bad_request, "The track does not decode: " + decode_track(it->second).error().message());
    return rc.json(http::status::ok, *track);
  }
  if (request.method() != http::verb::post) return rc.error(http::status::method_not_allowed, "Method Not Allowed");
  boost::system::error_code ec;
  const auto body = json::parse(request.body(), ec);
  if (ec || !body.is_array()) return rc.error(http::status::bad_request, "The body must be a JSON array of encoded tracks");
  if (body.as_array().empty()) return rc.error(http::status::bad_request, "No tracks to decode provided");
  json::array tracks;
  for (const auto& item : body.as_array()) {
    if (!item.is_string()) return rc.error(http::status::bad_request, "Every encoded track must be a string");
    auto track = decoded_json(std::string(item.as_string()));
    if (!track) return rc.error(http::status::bad_request, "A track does not decode: " + std::string(item.as_string()));
    tracks.push_back(std::move(*track));
  }
  return rc.json(http::status::ok, tracks);
}

asio::awaitable<http_response> lavalink_node::session_players(const http_request& request, const request_context& rc,
                                                              std::string_view session_id, std::string_view rest_of_path) {
  auto it = sessions_.find(std::string(session_id));
  if (it == sessions_.end()) co_return rc.error(http::status::not_found, "Session not found");
  auto s = it->second;  // kept alive across the awaits below
  const auto parts = segments(rest_of_path);
  if (parts.empty()) {
    if (request.method() != http::verb::patch) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    co_return patch_session(request, rc, *s);
  }
  if (parts[0] != "players" || parts.size() > 2) co_return rc.error(http::status::not_found, "Not Found");
  if (parts.size() == 1) {
    if (request.method() != http::verb::get) co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
    std::vector<std::string> keys;
    for (const auto& [key, p] : players_)
      if (p->session_id == s->id) keys.push_back(key);
    json::array players;
    for (const auto& key : keys)
      if (auto* p = find_player(key)) players.push_back(co_await player_json(*p));
    co_return rc.json(http::status::ok, players);
  }
  const std::string guild(parts[1]);
  if (!is_snowflake(guild)) co_return rc.error(http::status::bad_request, "guildId must be a Discord snowflake");
  auto* p = find_player(player_key(s->id, guild));
  switch (request.method()) {
    case http::verb::get:
      if (!p) co_return rc.error(http::status::not_found, "Player not found");
      co_return rc.json(http::status::ok, co_await player_json(*p));
    case http::verb::delete_:
      if (p) destroy_player(p->key, "deleted by its client");
      co_return rc.bare(http::status::no_content);
    case http::verb::patch:
      co_return co_await patch_player(request, rc, *s, guild);
    default:
      co_return rc.error(http::status::method_not_allowed, "Method Not Allowed");
  }
}

http_response lavalink_node::patch_session(const http_request& request, const request_context& rc, session& s) {
  boost::system::error_code ec;
  const auto body = json::parse(request.body(), ec);
  if (ec || !body.is_object()) return rc.error(http::status::bad_request, "The body must be a JSON object");
  const auto& o = body.as_object();
  if (const auto* r = o.if_contains("resuming"); r && !r->is_null()) {
    if (!r->is_bool()) return rc.error(http::status::bad_request, "resuming must be a boolean");
    s.resuming = r->as_bool();
  }
  if (const auto* t = o.if_contains("timeout"); t && !t->is_null()) {
    if (!t->is_int64() && !t->is_uint64()) return rc.error(http::status::bad_request, "timeout must be an integer");
    const auto seconds = t->to_number<std::int64_t>();
    if (seconds < 0 || seconds > 86'400) return rc.error(http::status::bad_request, "timeout must be between 0 and 86400");
    s.timeout = std::chrono::seconds(seconds);
  }
  return rc.json(http::status::ok, json::object{{"resuming", s.resuming}, {"timeout", s.timeout.count()}});
}

asio::awaitable<http_response> lavalink_node::patch_player(const http_request& request, const request_context& rc,
                                                           session& s, const std::string& guild) {
  auto parsed = parse_player_update(request.body());
  if (!parsed) co_return rc.error(http::status::bad_request, parsed.error());
  auto update = std::move(*parsed);
  const bool new_track = update.track.what != track_change::kind::none;
  const bool no_replace = rc.query.contains("noReplace") && rc.query.at("noReplace") == "true";

  // A track named by identifier is loaded before anything changes, so a failed load changes nothing.
  std::optional<std::pair<std::string, decoded_track>> to_play;
  if (update.track.what == track_change::kind::encoded) {
    auto decoded = decode_track(update.track.value);
    if (!decoded) co_return rc.error(http::status::bad_request, "The track does not decode: " + decoded.error().message());
    to_play.emplace(update.track.value, std::move(*decoded));
  } else if (update.track.what == track_change::kind::identifier) {
    auto result = co_await options_.load(update.track.value);
    if (result.type == load_result::kind::empty) co_return rc.error(http::status::bad_request, "No matches found for identifier");
    if (result.type == load_result::kind::error) co_return rc.error(http::status::bad_request, result.message);
    if (result.type != load_result::kind::track || result.tracks.size() != 1)
      co_return rc.error(http::status::bad_request, "Cannot play a playlist or search result");
    auto encoded = encode_track(result.tracks.front());
    if (!encoded) co_return rc.error(http::status::internal_server_error, "The loaded track does not encode");
    to_play.emplace(*encoded, std::move(result.tracks.front()));
  }

  // The session may have ended while the track loaded.
  if (!sessions_.contains(s.id)) co_return rc.error(http::status::not_found, "Session not found");
  const auto key = player_key(s.id, guild);
  auto* p = find_player(key);
  if (!p) {
    if (players_.size() >= options_.max_players)
      co_return rc.error(http::status::service_unavailable,
                         "the node has its maximum of " + std::to_string(options_.max_players) + " players");
    auto created = std::make_unique<guild_player>();
    created->guild = guild;
    created->session_id = s.id;
    created->key = key;
    const auto base = "/node/guild/" + guild + "/" + std::to_string(next_player_++);
    auto voice = runtime_.spawn<voice_connection_actor>(base + "/voice", {guild, std::string(events_sink_name), key});
    auto player = runtime_.spawn<engine::player_actor>(
        base + "/player",
        {guild, std::string(events_sink_name), options_.player_settings, options_.player_update_interval_ms, key});
    if (!voice || !player) {
      if (voice) voice->cell()->request_stop("its player did not start");
      if (player) player->cell()->request_stop("its voice connection did not start");
      co_return rc.error(http::status::internal_server_error, "the guild's player could not be started");
    }
    created->voice = *voice;
    created->player = *player;
    p = created.get();
    players_[key] = std::move(created);
    std::lock_guard lock(counters_mutex_);
    counters_.players = players_.size();
  }

  if (update.voice) {
    const bool connected = co_await connect_voice(*p, *update.voice);
    p = find_player(key);
    if (!p) co_return rc.error(http::status::not_found, "Player not found");
    if (!connected) co_return rc.error(http::status::internal_server_error, "Failed to connect to voice server");
  }
  if (!new_track) {
    if (update.paused && *update.paused != p->paused) {
      p->paused = *update.paused;
      (void)p->player.try_send(engine::pause_player{p->paused});
    }
    if (update.user_data && p->current) p->current->user_data = *update.user_data;
    if (update.position_ms && p->current) (void)p->player.try_send(engine::seek_track{*update.position_ms});
    if (update.end_time_ms && p->current) (void)p->player.try_send(engine::set_track_end{*update.end_time_ms});
  }
  if (update.volume) {
    p->volume = *update.volume;
    (void)p->player.try_send(engine::set_player_volume{p->volume});
  }
  if (update.filters) {
    p->filters = *update.filters;
    (void)p->player.try_send(engine::set_player_filters{p->filters});
  }
  if (new_track && !(no_replace && p->current)) {
    const bool paused = update.paused.value_or(false);
    if (paused != p->paused) {
      p->paused = paused;
      (void)p->player.try_send(engine::pause_player{paused});
    }
    if (!to_play) {
      (void)p->player.try_send(engine::stop_track{});
    } else {
      engine::play_track play{to_play->first, update.position_ms.value_or(0), std::nullopt, false};
      if (update.end_time_ms && *update.end_time_ms) play.end_ms = **update.end_time_ms;
      p->current = guild_player::playing{to_play->first, std::move(to_play->second),
                                         update.user_data.value_or(json::object{})};
      p->position_ms = play.start_ms;
      if (auto ec = p->player.try_send(std::move(play)))
        co_return rc.error(http::status::service_unavailable, "the guild's player is busy: " + ec.message());
    }
  }
  co_return rc.json(http::status::ok, co_await player_json(*p));
}

}  // namespace spence::net::lavalink
