#include "net/lavalink/player_update.hpp"

#include "net/lavalink/lavalink_filters.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <limits>

namespace spence::net::lavalink {

namespace json = boost::json;

namespace {

struct bad_update {
  std::string message;
};

std::int64_t integer(const json::value& v, std::string_view name) {
  if (v.is_int64()) return v.as_int64();
  if (v.is_uint64() && v.as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()))
    return static_cast<std::int64_t>(v.as_uint64());
  throw bad_update{std::string(name) + " must be an integer"};
}

std::string text(const json::value& v, std::string_view name) {
  if (!v.is_string()) throw bad_update{std::string(name) + " must be a string"};
  return std::string(v.as_string());
}

// A string field that may be null: nullopt for null.
std::optional<std::string> nullable_text(const json::value& v, std::string_view name) {
  if (v.is_null()) return std::nullopt;
  return text(v, name);
}

track_change encoded_change(const std::optional<std::string>& encoded) {
  if (!encoded) return {track_change::kind::stop, {}};
  return {track_change::kind::encoded, *encoded};
}

voice_update read_voice(const json::value& v) {
  if (!v.is_object()) throw bad_update{"voice must be an object"};
  const auto& o = v.as_object();
  auto field = [&](std::string_view name) -> std::string {
    const auto* f = o.if_contains(name);
    if (!f || f->is_null()) return {};
    return text(*f, "voice." + std::string(name));
  };
  voice_update voice{field("token"), field("endpoint"), field("sessionId"), field("channelId")};
  auto blank = [](const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; };
  if (blank(voice.token) || blank(voice.endpoint) || blank(voice.session_id) || blank(voice.channel_id))
    throw bad_update{"token, endpoint, sessionId and channelId must be provided in voice state"};
  return voice;
}

}  // namespace

boost::system::result<player_update, std::string> parse_player_update(std::string_view body) {
  boost::system::error_code ec;
  const auto value = json::parse(body, ec);
  if (ec) return "the body is not JSON: " + ec.message();
  if (!value.is_object()) return std::string("the body must be a JSON object");
  const auto& o = value.as_object();
  try {
    player_update u;
    const auto* track = o.if_contains("track");
    const auto* encoded_track = o.if_contains("encodedTrack");
    const auto* identifier = o.if_contains("identifier");
    if (track && !track->is_null() && (encoded_track || identifier))
      throw bad_update{"Cannot specify both track and encodedTrack/identifier"};
    if (track && !track->is_null()) {
      if (!track->is_object()) throw bad_update{"track must be an object"};
      const auto& t = track->as_object();
      const auto* encoded = t.if_contains("encoded");
      const auto* id = t.if_contains("identifier");
      if (encoded && id) throw bad_update{"Cannot specify both encodedTrack and identifier"};
      if (encoded) u.track = encoded_change(nullable_text(*encoded, "track.encoded"));
      if (id) u.track = {track_change::kind::identifier, text(*id, "track.identifier")};
      if (const auto* data = t.if_contains("userData"); data && !data->is_null()) {
        if (!data->is_object()) throw bad_update{"track.userData must be an object"};
        u.user_data = data->as_object();
      }
    } else {
      if (encoded_track && identifier) throw bad_update{"Cannot specify both encodedTrack and identifier"};
      if (encoded_track) u.track = encoded_change(nullable_text(*encoded_track, "encodedTrack"));
      if (identifier) u.track = {track_change::kind::identifier, text(*identifier, "identifier")};
    }
    if (const auto* p = o.if_contains("position"); p && !p->is_null()) {
      u.position_ms = integer(*p, "position");
      if (*u.position_ms < 0) throw bad_update{"position must not be negative"};
    }
    if (const auto* e = o.if_contains("endTime")) {
      if (e->is_null()) {
        u.end_time_ms.emplace(std::nullopt);
      } else {
        const auto end = integer(*e, "endTime");
        if (end <= 0) throw bad_update{"End time must be greater than 0"};
        u.end_time_ms.emplace(end);
      }
    }
    if (const auto* v = o.if_contains("volume"); v && !v->is_null()) {
      const auto volume = integer(*v, "volume");
      u.volume = static_cast<int>(std::clamp<std::int64_t>(volume, 0, 1000));  // lavaplayer clamps too
    }
    if (const auto* p = o.if_contains("paused"); p && !p->is_null()) {
      if (!p->is_bool()) throw bad_update{"paused must be a boolean"};
      u.paused = p->as_bool();
    }
    if (const auto* f = o.if_contains("filters"); f && !f->is_null()) {
      auto filters = filters_from_json(*f);
      if (!filters) throw bad_update{filters.error()};
      u.filters = std::move(*filters);
    }
    if (const auto* v = o.if_contains("voice"); v && !v->is_null()) u.voice = read_voice(*v);
    return u;
  } catch (const bad_update& e) {
    return e.message;
  }
}

}  // namespace spence::net::lavalink
