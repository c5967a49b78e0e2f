#include "net/lavalink/lavalink_json.hpp"

#include <boost/beast/http/status.hpp>

namespace spence::net::lavalink {

namespace json = boost::json;

namespace {

json::value nullable(const std::optional<std::string>& s) { return s ? json::value(*s) : json::value(nullptr); }

}  // namespace

json::object track_json(std::string_view encoded, const decoded_track& track, const json::object& user_data,
                        std::int64_t position_ms) {
  const auto& i = track.info;
  json::object info{{"identifier", i.identifier}, {"isSeekable", i.is_seekable}, {"author", i.author},
                    {"length", i.length_ms},      {"isStream", i.is_stream},     {"position", position_ms},
                    {"title", i.title},           {"uri", nullable(i.uri)},      {"sourceName", i.source_name},
                    {"artworkUrl", nullable(i.artwork_url)}, {"isrc", nullable(i.isrc)}};
  json::object plugin_info;
  if (track.probe_info) plugin_info["probeInfo"] = *track.probe_info;
  return json::object{{"encoded", encoded}, {"info", std::move(info)}, {"pluginInfo", std::move(plugin_info)},
                      {"userData", user_data}};
}

json::object exception_json(std::string_view message, std::string_view severity, std::string_view cause) {
  return json::object{{"message", message}, {"severity", severity}, {"cause", cause}, {"causeStackTrace", cause}};
}

json::object error_json(unsigned status, std::string_view message, std::string_view path, bool trace,
                        std::int64_t now_ms) {
  json::object body{{"timestamp", now_ms},
                    {"status", status},
                    {"error", boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(status))},
                    {"message", message},
                    {"path", path}};
  if (trace) body["trace"] = message;
  return body;
}

json::value load_result_json(const load_result& r) {
  auto tracks_json = [&] {
    json::array tracks;
    for (const auto& t : r.tracks) {
      auto encoded = encode_track(t);
      if (encoded) tracks.push_back(track_json(*encoded, t));
    }
    return tracks;
  };
  switch (r.type) {
    case load_result::kind::track: {
      auto tracks = tracks_json();
      if (tracks.empty()) break;
      return json::object{{"loadType", "track"}, {"data", tracks.front()}};
    }
    case load_result::kind::playlist:
      return json::object{{"loadType", "playlist"},
                          {"data", json::object{{"info", json::object{{"name", r.playlist_name},
                                                                       {"selectedTrack", r.selected_track}}},
                                                {"pluginInfo", json::object{}},
                                                {"tracks", tracks_json()}}}};
    case load_result::kind::search:
      return json::object{{"loadType", "search"}, {"data", tracks_json()}};
    case load_result::kind::empty:
      return json::object{{"loadType", "empty"}, {"data", nullptr}};
    case load_result::kind::error:
      return json::object{{"loadType", "error"}, {"data", exception_json(r.message, r.severity, r.cause)}};
  }
  return json::object{{"loadType", "error"},
                      {"data", exception_json("The track could not be encoded", "fault", "encoding failed")}};
}

}  // namespace spence::net::lavalink
