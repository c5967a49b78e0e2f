#pragma once
// The body of PATCH /v4/sessions/{sessionId}/players/{guildId}, read with Lavalink's rules: every
// field is optional, and for `track.encoded`, `encodedTrack` and `endTime` a field that is absent
// ("leave it") differs from one that is null ("clear it": stop the track, remove the end time).
// The deprecated top-level `encodedTrack` and `identifier` are still taken. Unknown fields are
// ignored, as Lavalink ignores them. Whatever cannot be taken is a message for a 400, Lavalink's
// own wording where it has one.

#include "engine/dsp/filter_chain.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spence::net::lavalink {

struct track_change {
  enum class kind { none, stop, encoded, identifier };
  kind what = kind::none;
  std::string value;  // the encoded track, or the identifier to load
};

struct voice_update {
  std::string token;
  std::string endpoint;
  std::string session_id;
  std::string channel_id;
  friend bool operator==(const voice_update&, const voice_update&) = default;
};

struct player_update {
  track_change track;
  std::optional<boost::json::object> user_data;  // track.userData
  std::optional<std::int64_t> position_ms;
  std::optional<std::optional<std::int64_t>> end_time_ms;  // nullopt: absent; holds nullopt: null
  std::optional<int> volume;
  std::optional<bool> paused;
  std::optional<engine::filter_settings> filters;  // replaces the whole chain
  std::optional<voice_update> voice;
};

boost::system::result<player_update, std::string> parse_player_update(std::string_view body);

}  // namespace spence::net::lavalink
