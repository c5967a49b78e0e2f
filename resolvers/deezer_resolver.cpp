#include "resolvers/deezer_resolver.hpp"

#include "resolvers/json_reply.hpp"
#include "resolvers/metadata_track.hpp"
#include "resolvers/resolver_router.hpp"
#include "resolvers/url_path.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spence::resolvers {

namespace json = boost::json;
namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;

std::optional<lavalink::decoded_track> deezer_track(const json::object& data, const json::object* album) {
  const auto id = id_of(data, "id");
  const auto title = text_of(data, "title");
  const auto duration = integer_of(data, "duration");  // seconds
  const auto* artist = object_of(data, "artist");
  const auto author = artist ? text_of(*artist, "name") : std::nullopt;
  if (!id || !title || !duration || *duration < 0 || !author) return std::nullopt;
  if (const auto type = text_of(data, "type"); type && *type != "track") return std::nullopt;
  if (const auto* own = object_of(data, "album")) album = own;
  metadata_fields f;
  f.identifier = *id;
  f.title = *title;
  f.author = *author;
  f.length_ms = std::min<std::int64_t>(*duration, INT64_MAX / 1000) * 1000;
  f.uri = "https://deezer.com/track/" + *id;
  f.isrc = text_of(data, "isrc");
  f.preview_url = text_of(data, "preview");
  if (const auto artist_id = id_of(*artist, "id")) f.artist_url = "https://www.deezer.com/artist/" + *artist_id;
  f.artist_artwork_url = text_of(*artist, "picture_xl");
  if (album) {
    f.artwork_url = text_of(*album, "cover_xl");
    f.album_name = text_of(*album, "title");
    if (const auto album_id = id_of(*album, "id")) f.album_url = "https://www.deezer.com/album/" + *album_id;
  }
  return metadata_track(platform::deezer, std::move(f));
}

std::vector<lavalink::decoded_track> deezer_tracks(const json::value& list, const json::object* album) {
  return tracks_in(list.is_object() ? array_of(list.as_object(), "data") : nullptr,
                   [album](const json::object& item) { return deezer_track(item, album); });
}

json_reply deezer_checked(json_reply reply) {
  if (!reply.body || !reply.body->is_object()) return reply;
  const auto* error = object_of(reply.body->as_object(), "error");
  if (!error) return reply;
  json_reply out;
  const auto code = integer_of(*error, "code").value_or(-1);
  const auto message = text_of(*error, "message").value_or("no message");
  const auto cause = fmt::format("Deezer error {} ({}): {}", code, text_of(*error, "type").value_or("unknown"), message);
  if (code == 800) out.not_found = true;  // DataException "no data"
  else if (code == 4 || code == 700) out.failure = load_error("Deezer is limiting requests; try again later", "common", cause);
  else out.failure = load_error("Deezer refused the request: " + message, "suspicious", cause);
  return out;
}

deezer_resolver::deezer_resolver(net::http_client_thread& http, deezer_endpoints endpoints)
    : api_(http), endpoints_(std::move(endpoints)) {}

json_reply deezer_resolver::get(const std::string& path) {
  net::http_fetch_request request;
  request.url = endpoints_.api + path;
  request.headers.emplace_back("Accept", "application/json");
  return deezer_checked(read_json_reply(api_.fetch(request), "Deezer"));
}

lavalink::load_result deezer_resolver::load(const identifier_route& route) {
  if (route.where != platform::deezer) return {};
  if (route.kind == route_kind::url) return load_url(route.query);
  const bool isrc = route.kind == route_kind::isrc;
  if (!isrc && route.kind != route_kind::search) return {};
  auto reply = get(isrc ? "/track/isrc:" + url_encoded(route.query) : "/search?q=" + url_encoded(route.query));
  if (!reply.body) return failure_of(reply);
  if (isrc) {
    if (!reply.body->is_object()) return load_error("Deezer's track is not an object", "suspicious", "not an object");
    auto track = deezer_track(reply.body->as_object());
    if (!track) return load_error("Deezer's track lacks its id, title, duration or artist", "suspicious", "incomplete track");
    return single_track(std::move(*track));
  }
  return listed_tracks(kind::search, {}, deezer_tracks(*reply.body));
}

lavalink::load_result deezer_resolver::load_url(const std::string& url) {
  auto path = url_path_of(url);
  if (!path) return {};
  auto& s = path->segments;
  if (!s.empty() && s.front().size() == 2) s.erase(s.begin());  // the country: /fr/album/1
  if (s.size() < 2 || !std::all_of(s[1].begin(), s[1].end(), [](char c) { return c >= '0' && c <= '9'; }))
    return load_error("spence does not know this Deezer URL; it plays track, album, playlist and artist URLs",
                      "common", "unknown Deezer URL");
  const auto& type = s[0];
  const auto& id = s[1];
  if (type != "track" && type != "album" && type != "playlist" && type != "artist")
    return load_error("spence does not play Deezer " + type + " URLs", "common", "unknown Deezer URL");
  auto reply = get("/" + type + "/" + id);
  if (!reply.body) return failure_of(reply);
  if (!reply.body->is_object()) return load_error("Deezer's answer is not an object", "suspicious", "not an object");
  const auto& data = reply.body->as_object();
  if (type == "track") {
    auto track = deezer_track(data);
    if (!track) return load_error("Deezer's track lacks its id, title, duration or artist", "suspicious", "incomplete track");
    return single_track(std::move(*track));
  }
  if (type == "artist") {
    auto top = get(fmt::format("/artist/{}/top?limit={}", id, artist_top_tracks));
    if (!top.body) return failure_of(top);
    return listed_tracks(kind::playlist, text_of(data, "name").value_or("Unknown artist") + "'s Top Tracks",
                         deezer_tracks(*top.body));
  }
  // Albums and playlists hold their tracks ({"tracks":{"data":[...]}}); an album's omit the album.
  const auto* list = data.if_contains("tracks");
  if (!list) return load_error("Deezer's " + type + " has no track list", "suspicious", "no tracks");
  return listed_tracks(kind::playlist, text_of(data, "title").value_or("Untitled " + type),
                       deezer_tracks(*list, type == "album" ? &data : nullptr));
}

}  // namespace spence::resolvers
