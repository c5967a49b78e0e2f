#include "resolvers/apple_music_resolver.hpp"

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

// Apple gives artwork as a template, ".../{w}x{h}bb.jpg", with the largest size beside it.
std::optional<std::string> artwork_of(const json::object& attributes) {
  const auto* art = object_of(attributes, "artwork");
  if (!art) return std::nullopt;
  auto url = text_of(*art, "url");
  if (!url) return std::nullopt;
  const auto fill = [&](std::string_view slot, std::string_view size_key) {
    const auto size = std::to_string(integer_of(*art, size_key).value_or(1000));
    for (auto at = url->find(slot); at != std::string::npos; at = url->find(slot, at + size.size())) url->replace(at, slot.size(), size);
  };
  fill("{w}", "width");
  fill("{h}", "height");
  return url;
}

const json::object* attributes_of(const json::object& resource) { return object_of(resource, "attributes"); }

// The first resource of a `{"data":[...]}` answer.
const json::object* first_resource(const json_reply& reply) {
  return reply.body && reply.body->is_object() ? element_of(reply.body->as_object(), "data") : nullptr;
}


}  // namespace

std::optional<lavalink::decoded_track> apple_music_track(const json::object& resource) {
  const auto id = id_of(resource, "id");
  const auto* a = attributes_of(resource);
  if (!id || !a) return std::nullopt;
  if (const auto type = text_of(resource, "type"); type && *type != "songs") return std::nullopt;
  const auto name = text_of(*a, "name");
  const auto artist = text_of(*a, "artistName");
  const auto duration = integer_of(*a, "durationInMillis");
  if (!name || !artist || !duration || *duration < 0) return std::nullopt;
  metadata_fields f;
  f.identifier = *id;
  f.title = *name;
  f.author = *artist;
  f.length_ms = *duration;
  f.uri = text_of(*a, "url").value_or("https://music.apple.com/song/" + *id);
  f.artwork_url = artwork_of(*a);
  f.isrc = text_of(*a, "isrc");
  f.album_name = text_of(*a, "albumName");
  if (const auto q = f.uri.find('?'); q != std::string::npos && f.uri.find("/album/") != std::string::npos)
    f.album_url = f.uri.substr(0, q);  // a song's URL is its album's with ?i=
  f.artist_url = text_of(*a, "artistUrl");
  if (const auto* preview = element_of(*a, "previews")) f.preview_url = text_of(*preview, "url");
  return metadata_track(platform::apple_music, std::move(f));
}

apple_music_resolver::apple_music_resolver(net::http_client_thread& http, apple_music_settings settings)
    : api_(http), settings_(std::move(settings)) {}

json_reply apple_music_resolver::get(const std::string& path) {
  net::http_fetch_request request;
  request.url = settings_.api + path;
  request.headers = {{"Authorization", "Bearer " + settings_.token}, {"Origin", "https://music.apple.com"}};
  auto reply = api_.fetch(request);
  if (reply && (reply->status == 401 || reply->status == 403)) {
    json_reply out;
    out.failure = load_error("Apple Music refused the developer token (expired or invalid); configure a new "
                             "sources.apple_music_token",
                             "common", fmt::format("HTTP {}", reply->status));
    return out;
  }
  return read_json_reply(reply, "Apple Music");
}

lavalink::load_result apple_music_resolver::load(const identifier_route& route) {
  if (route.where != platform::apple_music) return {};
  if (settings_.token.empty())
    return load_error("Apple Music needs a developer token in sources.apple_music_token (spence does not take one "
                      "from Apple's web player)",
                      "common", "no Apple Music token configured");
  if (route.kind == route_kind::url) return load_url(route.query);
  if (route.kind != route_kind::search) return {};
  auto reply = get(fmt::format("/v1/catalog/{}/search?term={}&limit={}&types=songs", url_encoded(settings_.country),
                               url_encoded(route.query), search_results));
  if (!reply.body) return failure_of(reply);
  const auto* results = reply.body->is_object() ? object_of(reply.body->as_object(), "results") : nullptr;
  if (!results) return load_error("Apple Music's search answer has no results", "suspicious", "no results");
  const auto* songs = object_of(*results, "songs");  // absent when nothing matched
  return listed_tracks(kind::search, {}, tracks_in(songs ? array_of(*songs, "data") : nullptr, apple_music_track));
}

lavalink::load_result apple_music_resolver::load_url(const std::string& url) {
  auto path = url_path_of(url);
  if (!path) return {};
  auto& s = path->segments;
  std::string storefront = settings_.country;
  if (!s.empty() && s.front().size() == 2) {
    storefront = s.front();
    s.erase(s.begin());
  }
  if (s.size() < 2) return load_error("spence does not know this Apple Music URL", "common", "unknown Apple Music URL");
  const auto type = s.front();
  const auto id = url_encoded(s.back());  // music.apple.com/us/album/some-name/123: the id is last
  auto song = path->param("i");
  if (type == "song" || (type == "album" && song)) {
    auto reply = get(fmt::format("/v1/catalog/{}/songs/{}", url_encoded(storefront), song ? url_encoded(*song) : id));
    if (!reply.body) return failure_of(reply);
    const auto* resource = first_resource(reply);
    auto track = resource ? apple_music_track(*resource) : std::nullopt;
    if (!track) return incomplete_answer("Apple Music", "song");
    return single_track(std::move(*track));
  }
  if (type == "album" || type == "playlist") return collection(storefront, type, id);
  if (type == "artist") return artist(storefront, id);
  return load_error("spence does not play Apple Music " + type + " URLs", "common", "unknown Apple Music URL");
}

lavalink::load_result apple_music_resolver::collection(const std::string& storefront, const std::string& type,
                                                       const std::string& id) {
  auto reply = get(fmt::format("/v1/catalog/{}/{}s/{}", url_encoded(storefront), type, id));
  if (!reply.body) return failure_of(reply);
  const auto* resource = first_resource(reply);
  const auto* attributes = resource ? attributes_of(*resource) : nullptr;
  const auto* relationships = resource ? object_of(*resource, "relationships") : nullptr;
  const auto* first_page = relationships ? object_of(*relationships, "tracks") : nullptr;
  if (!attributes || !first_page) return incomplete_answer("Apple Music", type);
  std::vector<lavalink::decoded_track> tracks;
  // `next` links are paths on the API's host ("/v1/catalog/us/albums/1/tracks?offset=100").
  const page_walk how{"data", max_pages, [this](const std::string& next) {
                        if (!next.starts_with("/v1/")) return json_reply{std::nullopt, {}, true};
                        return get(next);
                      }};
  if (auto failure = walk_pages(first_page, how, [&](const json::object& item) {
        if (auto t = apple_music_track(item)) tracks.push_back(std::move(*t));
      }))
    return *failure;
  return listed_tracks(kind::playlist, text_of(*attributes, "name").value_or("Untitled " + type), std::move(tracks));
}

lavalink::load_result apple_music_resolver::artist(const std::string& storefront, const std::string& id) {
  auto about = get(fmt::format("/v1/catalog/{}/artists/{}", url_encoded(storefront), id));
  if (!about.body) return failure_of(about);
  const auto* resource = first_resource(about);
  const auto* attributes = resource ? attributes_of(*resource) : nullptr;
  if (!attributes) return incomplete_answer("Apple Music", "artist");
  auto top = get(fmt::format("/v1/catalog/{}/artists/{}/view/top-songs", url_encoded(storefront), id));
  if (!top.body) return failure_of(top);
  const auto* data = top.body->is_object() ? array_of(top.body->as_object(), "data") : nullptr;
  if (!data) return incomplete_answer("Apple Music", "top songs");
  return listed_tracks(kind::playlist, text_of(*attributes, "name").value_or("Unknown artist") + "'s Top Tracks",
                       tracks_in(data, apple_music_track));
}

}  // namespace spence::resolvers
