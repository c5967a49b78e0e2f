#include "resolvers/spotify_resolver.hpp"

#include "net/lavalink/base64.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/metadata_track.hpp"
#include "resolvers/paged_list.hpp"
#include "resolvers/resolver_router.hpp"
#include "resolvers/url_path.hpp"

#include <fmt/format.h>

namespace spence::resolvers {

namespace json = boost::json;
namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;

namespace {

std::optional<std::string> spotify_url(const json::object& o) {
  const auto* urls = object_of(o, "external_urls");
  return urls ? text_of(*urls, "spotify") : std::nullopt;
}

std::optional<std::string> first_image(const json::object& o) {
  const auto* image = element_of(o, "images");
  return image ? text_of(*image, "url") : std::nullopt;
}


}  // namespace

std::optional<lavalink::decoded_track> spotify_track(const json::object& data, const json::object* album) {
  if (const auto* local = data.if_contains("is_local"); local && *local == true) return std::nullopt;
  const auto id = text_of(data, "id");
  const auto name = text_of(data, "name");
  const auto duration = integer_of(data, "duration_ms");
  const auto* artists = array_of(data, "artists");
  if (!id || !name || !duration || *duration < 0 || !artists) return std::nullopt;
  metadata_fields f;
  for (const auto& a : *artists)  // LavaSrc names every artist, comma-separated
    if (a.is_object())
      if (auto artist = text_of(a.as_object(), "name")) f.author += (f.author.empty() ? "" : ", ") + *artist;
  if (f.author.empty()) return std::nullopt;
  if (const auto* own = object_of(data, "album")) album = own;
  f.identifier = *id;
  f.title = *name;
  f.length_ms = *duration;
  f.uri = spotify_url(data).value_or("https://open.spotify.com/track/" + *id);
  if (const auto* ids = object_of(data, "external_ids")) f.isrc = text_of(*ids, "isrc");
  f.preview_url = text_of(data, "preview_url");
  if (const auto* first = element_of(data, "artists")) f.artist_url = spotify_url(*first);
  if (album) {
    f.artwork_url = first_image(*album);
    f.album_name = text_of(*album, "name");
    f.album_url = spotify_url(*album);
  }
  return metadata_track(platform::spotify, std::move(f));
}

spotify_resolver::spotify_resolver(net::http_client_thread& http, spotify_settings settings)
    : api_(http), settings_(std::move(settings)) {}

std::optional<std::string> spotify_resolver::token(bool renew, lavalink::load_result& failure) {
  std::lock_guard lock(mutex_);
  if (token_ && !renew && std::chrono::steady_clock::now() < token_expires_) return token_;
  token_.reset();
  const std::string credentials = settings_.client_id + ":" + settings_.client_secret;
  net::http_fetch_request request;
  request.url = settings_.accounts + "/api/token";
  request.method = "POST";
  request.headers = {{"Authorization", "Basic " + lavalink::base64_encode(std::span(
                                                      reinterpret_cast<const std::uint8_t*>(credentials.data()), credentials.size()))},
                     {"Content-Type", "application/x-www-form-urlencoded"}};
  request.body = "grant_type=client_credentials";
  auto reply = read_json_reply(api_.fetch(request), "Spotify's accounts service");
  if (!reply.body) {
    failure = reply.not_found ? load_error("Spotify's accounts service has no token endpoint at the configured address",
                                           "suspicious", "HTTP 404")
                              : reply.failure;
    if (reply.failure.cause == "HTTP 400" || reply.failure.cause == "HTTP 401")
      failure = load_error("Spotify refused the client id and secret (sources.spotify_client_id, sources.spotify_client_secret)",
                           "common", reply.failure.cause);
    return std::nullopt;
  }
  const auto* o = reply.body->is_object() ? &reply.body->as_object() : nullptr;
  auto access = o ? text_of(*o, "access_token") : std::nullopt;
  const auto lifetime = o ? integer_of(*o, "expires_in") : std::nullopt;
  if (!access || access->empty() || !lifetime) {
    failure = load_error("Spotify's token answer lacks access_token or expires_in", "suspicious", "malformed token");
    return std::nullopt;
  }
  // Renewed a little early, so that a token does not expire between this check and its use.
  token_expires_ = std::chrono::steady_clock::now() + std::chrono::seconds(std::max<std::int64_t>(*lifetime - 30, 0));
  token_ = std::move(access);
  return token_;
}

json_reply spotify_resolver::get(const std::string& path_or_url) {
  json_reply out;
  for (int attempt = 0;; ++attempt) {
    auto bearer = token(attempt > 0, out.failure);
    if (!bearer) return out;
    net::http_fetch_request request;
    request.url = path_or_url.starts_with(settings_.api) ? path_or_url : settings_.api + path_or_url;
    request.headers.emplace_back("Authorization", "Bearer " + *bearer);
    auto reply = api_.fetch(request);
    if (reply && reply->status == 401 && attempt == 0) continue;  // the token expired early or was revoked
    return read_json_reply(reply, "Spotify");
  }
}

lavalink::load_result spotify_resolver::load(const identifier_route& route) {
  if (route.where != platform::spotify) return {};
  if (settings_.client_id.empty() || settings_.client_secret.empty())
    return load_error(fmt::format("Spotify needs {} in the node's configuration ([sources])",
                                  settings_.client_id.empty() ? (settings_.client_secret.empty()
                                                                     ? "spotify_client_id and spotify_client_secret"
                                                                     : "spotify_client_id")
                                                              : "spotify_client_secret"),
                      "common", "no Spotify credentials configured");
  if (route.kind == route_kind::url) return load_url(route.query);
  if (route.kind != route_kind::search) return {};
  auto reply = get(fmt::format("/search?q={}&type=track&limit={}", url_encoded(route.query), search_results));
  if (!reply.body) return failure_of(reply);
  const auto* tracks = reply.body->is_object() ? object_of(reply.body->as_object(), "tracks") : nullptr;
  const auto* items = tracks ? array_of(*tracks, "items") : nullptr;
  if (!items) return load_error("Spotify's search answer has no tracks.items", "suspicious", "no tracks.items");
  return listed_tracks(kind::search, {}, tracks_in(items, [](const json::object& t) { return spotify_track(t); }));
}

lavalink::load_result spotify_resolver::load_url(const std::string& url) {
  auto path = url_path_of(url);
  if (!path) return {};
  auto& s = path->segments;
  if (!s.empty() && s.front().starts_with("intl-")) s.erase(s.begin());  // open.spotify.com/intl-de/track/...
  if (s.size() < 2) return load_error("spence does not know this Spotify URL", "common", "unknown Spotify URL");
  const auto& type = s[0];
  const auto id = url_encoded(s[1]);
  if (type == "album") return album(id);
  if (type == "playlist") return playlist(id);
  if (type == "artist") return artist(id);
  if (type != "track") return load_error("spence does not play Spotify " + type + " URLs", "common", "unknown Spotify URL");
  auto reply = get("/tracks/" + id);
  if (!reply.body) return failure_of(reply);
  auto track = reply.body->is_object() ? spotify_track(reply.body->as_object()) : std::nullopt;
  if (!track) return incomplete_answer("Spotify", "track");
  return single_track(std::move(*track));
}

page_walk spotify_resolver::pages() {
  // `next` links are absolute; only those into the configured API are followed.
  return {"items", max_pages, [this](const std::string& next) {
            if (!next.starts_with(settings_.api)) return json_reply{std::nullopt, {}, true};
            return get(next);
          }};
}

lavalink::load_result spotify_resolver::album(const std::string& id) {
  auto reply = get("/albums/" + id);
  if (!reply.body) return failure_of(reply);
  if (!reply.body->is_object()) return incomplete_answer("Spotify", "album");
  const auto& data = reply.body->as_object();
  std::vector<std::string> ids;
  if (auto failure = walk_pages(object_of(data, "tracks"), pages(), [&](const json::object& item) {
        if (auto track_id = text_of(item, "id")) ids.push_back(url_encoded(*track_id));
      }))
    return *failure;
  // The album's entries lack ISRCs: the whole tracks, 50 at a time, in order.
  std::vector<lavalink::decoded_track> tracks;
  for (std::size_t at = 0; at < ids.size(); at += 50) {
    std::string batch;
    for (std::size_t i = at; i < std::min(ids.size(), at + 50); ++i) batch += (batch.empty() ? "" : ",") + ids[i];
    auto whole = get("/tracks?ids=" + batch);
    if (!whole.body) return failure_of(whole);
    const auto* list = whole.body->is_object() ? array_of(whole.body->as_object(), "tracks") : nullptr;
    if (!list) return incomplete_answer("Spotify", "track list");
    auto batch_tracks = tracks_in(list, [&data](const json::object& t) { return spotify_track(t, &data); });
    tracks.insert(tracks.end(), std::make_move_iterator(batch_tracks.begin()), std::make_move_iterator(batch_tracks.end()));
  }
  return listed_tracks(kind::playlist, text_of(data, "name").value_or("Untitled album"), std::move(tracks));
}

lavalink::load_result spotify_resolver::playlist(const std::string& id) {
  auto reply = get("/playlists/" + id);
  if (!reply.body) return failure_of(reply);
  if (!reply.body->is_object()) return incomplete_answer("Spotify", "playlist");
  const auto& data = reply.body->as_object();
  std::vector<lavalink::decoded_track> tracks;
  if (auto failure = walk_pages(object_of(data, "tracks"), pages(), [&](const json::object& item) {
        if (const auto* track = object_of(item, "track"))
          if (auto t = spotify_track(*track)) tracks.push_back(std::move(*t));
      }))
    return *failure;
  return listed_tracks(kind::playlist, text_of(data, "name").value_or("Untitled playlist"), std::move(tracks));
}

lavalink::load_result spotify_resolver::artist(const std::string& id) {
  auto reply = get("/artists/" + id);
  if (!reply.body) return failure_of(reply);
  if (!reply.body->is_object()) return incomplete_answer("Spotify", "artist");
  auto top = get(fmt::format("/artists/{}/top-tracks?market={}", id, url_encoded(settings_.market)));
  if (!top.body) return failure_of(top);
  const auto* list = top.body->is_object() ? array_of(top.body->as_object(), "tracks") : nullptr;
  if (!list) return incomplete_answer("Spotify", "top tracks");
  return listed_tracks(kind::playlist, text_of(reply.body->as_object(), "name").value_or("Unknown artist") + "'s Top Tracks",
                       tracks_in(list, [](const json::object& t) { return spotify_track(t); }));
}

}  // namespace spence::resolvers
