#include "resolvers/soundcloud_resolver.hpp"

#include "engine/media_error.hpp"
#include "net/http/http_fetch.hpp"
#include "resolvers/resolver_router.hpp"


#include <fmt/format.h>

#include <map>

namespace spence::resolvers {

namespace json = boost::json;
namespace lavalink = net::lavalink;
using engine::media_errc;
using engine::media_error;

namespace {

// The scripts a page names, in order: <script ... src="URL">, relative ones against `base`.
std::vector<std::string> script_sources(std::string_view page, const std::string& base) {
  std::vector<std::string> out;
  for (auto at = page.find("<script"); at != std::string_view::npos; at = page.find("<script", at + 7)) {
    const auto end = page.find('>', at);
    if (end == std::string_view::npos) break;
    const auto tag = page.substr(at, end - at);
    const auto src = tag.find("src=\"");
    if (src == std::string_view::npos) continue;
    const auto close = tag.find('"', src + 5);
    if (close == std::string_view::npos) continue;
    std::string url(tag.substr(src + 5, close - src - 5));
    if (url.starts_with("/") && !url.starts_with("//")) url = base + url;
    if (url.starts_with("http://") || url.starts_with("https://")) out.push_back(std::move(url));
  }
  return out;
}

// The value of `client_id:"..."` in a script (spaces allowed around the colon).
std::optional<std::string> client_id_in(std::string_view script) {
  for (auto at = script.find("client_id"); at != std::string_view::npos; at = script.find("client_id", at + 9)) {
    auto rest = script.substr(at + 9);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || rest.front() != ':') continue;
    rest.remove_prefix(1);
    while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
    if (rest.empty() || rest.front() != '"') continue;
    rest.remove_prefix(1);
    const auto end = rest.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");
    if (end == std::string_view::npos || end == 0 || rest[end] != '"') continue;
    return std::string(rest.substr(0, end));
  }
  return std::nullopt;
}

// SoundCloud's artwork URLs name their size; lavaplayer shows the 500x500 one.
std::string large_artwork(std::string url) {
  if (const auto at = url.rfind("-large."); at != std::string::npos) url.replace(at, 6, "-t500x500");
  return url;
}

}  // namespace

soundcloud_resolver::soundcloud_resolver(net::http_client_thread& http, soundcloud_endpoints endpoints)
    : api_(http), endpoints_(std::move(endpoints)) {}

std::optional<std::string> soundcloud_resolver::client_id(bool rediscover) {
  std::lock_guard lock(mutex_);
  if (client_id_ && !rediscover) return client_id_;
  client_id_.reset();
  net::http_fetch_request page;
  page.url = endpoints_.web;
  auto answer = api_.fetch(page);
  if (!answer || answer->status != 200) return std::nullopt;
  auto scripts = script_sources(answer->body, endpoints_.web);
  // The app's own bundle, which holds the id, comes after the libraries: look from the end.
  for (auto it = scripts.rbegin(); it != scripts.rend(); ++it) {
    net::http_fetch_request script;
    script.url = *it;
    auto code = api_.fetch(script);
    if (!code || code->status != 200) continue;
    if (auto id = client_id_in(code->body)) {
      client_id_ = std::move(id);
      return client_id_;
    }
  }
  return std::nullopt;
}

json_reply soundcloud_resolver::call(const std::string& path_and_query) {
  json_reply out;
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto id = client_id(attempt > 0);
    if (!id) {
      out.failure = load_error("spence could not find SoundCloud's client id on its web page", "suspicious",
                               "no client_id in the web app's scripts");
      return out;
    }
    net::http_fetch_request request;
    request.url = (path_and_query.starts_with("http") ? "" : endpoints_.api) + path_and_query +
                  (path_and_query.find('?') == std::string::npos ? "?" : "&") + "client_id=" + *id;
    auto reply = api_.fetch(request);
    if (!reply || (reply->status != 401 && reply->status != 403)) return read_json_reply(reply, "SoundCloud");
    // Otherwise a stale client id: found again once.
  }
  out.failure = load_error("SoundCloud refused spence's client id", "suspicious", "HTTP 401/403 twice");
  return out;
}

std::optional<lavalink::decoded_track> soundcloud_resolver::track_of(const json::object& data, std::string* why_not) {
  const auto id = integer_of(data, "id");
  const auto title = text_of(data, "title");
  const auto duration = integer_of(data, "duration");
  const auto permalink = text_of(data, "permalink_url");
  const auto* user = object_of(data, "user");
  if (!id || !title || !duration || !permalink || !user) {
    if (why_not) *why_not = "SoundCloud's track lacks its id, title, duration, permalink or user";
    return std::nullopt;
  }
  const auto policy = text_of(data, "policy").value_or("ALLOW");
  if (policy == "BLOCK") {
    if (why_not) *why_not = "SoundCloud does not offer this track here";
    return std::nullopt;
  }
  bool whole = false;  // some transcoding is not a preview
  if (const auto* media = object_of(data, "media"))
    if (const auto* transcodings = array_of(*media, "transcodings"))
      for (const auto& t : *transcodings)
        if (t.is_object() && !(t.as_object().contains("snipped") && t.as_object().at("snipped") == true)) whole = true;
  if (policy == "SNIP" || !whole) {
    if (why_not) *why_not = "SoundCloud offers only a 30-second preview of this track";
    return std::nullopt;
  }
  lavalink::decoded_track track;
  track.info.identifier = std::to_string(*id);
  track.info.title = *title;
  track.info.author = text_of(*user, "username").value_or("Unknown artist");
  track.info.length_ms = *duration;
  track.info.is_stream = false;
  track.info.is_seekable = true;
  track.info.uri = *permalink;
  track.info.source_name = std::string(source_name(platform::soundcloud));
  if (auto art = text_of(data, "artwork_url")) track.info.artwork_url = large_artwork(*art);
  else if (auto avatar = text_of(*user, "avatar_url")) track.info.artwork_url = large_artwork(*avatar);
  if (const auto* publisher = object_of(data, "publisher_metadata"))
    if (auto isrc = text_of(*publisher, "isrc"); isrc && !isrc->empty()) track.info.isrc = *isrc;
  return track;
}

lavalink::load_result soundcloud_resolver::playlist_of(const json::object& data) {
  lavalink::load_result result;
  result.type = lavalink::load_result::kind::playlist;
  result.playlist_name = text_of(data, "title").value_or("Untitled playlist");
  const auto* items = array_of(data, "tracks");
  if (!items) return load_error("SoundCloud's playlist has no track list", "suspicious", "no tracks array");
  // The first few tracks come whole; the rest only as ids, fetched in batches of 50.
  std::vector<std::int64_t> order;
  std::map<std::int64_t, json::object> whole;
  std::vector<std::int64_t> stubs;
  for (const auto& item : *items) {
    if (!item.is_object()) continue;
    const auto id = integer_of(item.as_object(), "id");
    if (!id) continue;
    order.push_back(*id);
    if (item.as_object().contains("title")) whole[*id] = item.as_object();
    else stubs.push_back(*id);
  }
  for (std::size_t at = 0; at < stubs.size(); at += 50) {
    std::string ids;
    for (std::size_t i = at; i < std::min(stubs.size(), at + 50); ++i) ids += (ids.empty() ? "" : ",") + std::to_string(stubs[i]);
    auto answer = call("/tracks?ids=" + url_encoded(ids));
    if (!answer.body) return answer.not_found ? load_error("SoundCloud lost the playlist's tracks") : answer.failure;
    if (!answer.body->is_array()) return load_error("SoundCloud's tracks are not a list", "suspicious", "/tracks is not an array");
    for (const auto& t : answer.body->as_array())
      if (t.is_object())
        if (const auto id = integer_of(t.as_object(), "id")) whole[*id] = t.as_object();
  }
  for (const auto id : order)
    if (auto found = whole.find(id); found != whole.end())
      if (auto track = track_of(found->second, nullptr)) result.tracks.push_back(std::move(*track));
  return result;
}

lavalink::load_result soundcloud_resolver::load(const identifier_route& route) {
  if (route.where != platform::soundcloud) return {};
  if (route.kind == route_kind::search) {
    auto answer = call(fmt::format("/search/tracks?q={}&limit={}&offset=0", url_encoded(route.query), search_results));
    if (!answer.body) return failure_of(answer);
    const auto* collection = answer.body->is_object() ? array_of(answer.body->as_object(), "collection") : nullptr;
    if (!collection) return load_error("SoundCloud's search answer has no results list", "suspicious", "no collection");
    lavalink::load_result result;
    for (const auto& item : *collection)
      if (item.is_object())
        if (auto track = track_of(item.as_object(), nullptr)) result.tracks.push_back(std::move(*track));
    if (!result.tracks.empty()) result.type = lavalink::load_result::kind::search;
    return result;
  }
  if (route.kind != route_kind::url) return {};
  auto answer = call("/resolve?url=" + url_encoded(route.query));
  if (!answer.body) return failure_of(answer);
  if (!answer.body->is_object()) return load_error("SoundCloud's answer is not an object", "suspicious", "not an object");
  const auto& data = answer.body->as_object();
  const auto kind = text_of(data, "kind").value_or("");
  if (kind == "playlist") return playlist_of(data);
  if (kind != "track") return {};  // users, groups: nothing to play, as in lavaplayer
  std::string why_not;
  auto track = track_of(data, &why_not);
  if (!track) return load_error(why_not, "common", why_not);
  lavalink::load_result result;
  result.type = lavalink::load_result::kind::track;
  result.tracks.push_back(std::move(*track));
  return result;
}

std::string soundcloud_resolver::stream_url(const std::string& permalink) {
  auto answer = call("/resolve?url=" + url_encoded(permalink));
  if (!answer.body || !answer.body->is_object())
    throw media_error(media_errc::network, "soundcloud", answer.not_found ? "the track is gone" : answer.failure.message);
  const auto& data = answer.body->as_object();
  std::string why_not;
  if (!track_of(data, &why_not)) throw media_error(media_errc::unsupported_format, "soundcloud", why_not);
  const auto* media = object_of(data, "media");
  const auto* transcodings = media ? array_of(*media, "transcodings") : nullptr;
  // The progressive MP3 when there is one (it seeks by byte ranges), else an HLS playlist of MP3
  // or Ogg/Opus segments (net/http/hls_source); never a snipped preview.
  std::optional<std::string> progressive;
  std::optional<std::string> hls;
  if (transcodings)
    for (const auto& t : *transcodings) {
      if (!t.is_object()) continue;
      const auto& o = t.as_object();
      const auto* format = object_of(o, "format");
      if (!format || (o.contains("snipped") && o.at("snipped") == true)) continue;
      const auto protocol = text_of(*format, "protocol").value_or("");
      const auto mime = text_of(*format, "mime_type").value_or("");
      const bool playable = mime.starts_with("audio/mpeg") || mime.starts_with("audio/ogg");
      if (protocol == "progressive" && mime.starts_with("audio/mpeg") && !progressive) progressive = text_of(o, "url");
      if (protocol == "hls" && playable && !hls) hls = text_of(o, "url");
    }
  const auto lookup = progressive ? progressive : hls;
  if (!lookup)
    throw media_error(media_errc::unsupported_format, "soundcloud",
                      "the track has no stream spence plays (progressive MP3, or HLS of MP3 or Ogg/Opus)");
  auto located = call(*lookup);
  if (!located.body || !located.body->is_object())
    throw media_error(media_errc::network, "soundcloud", "no stream location: " + located.failure.message);
  auto url = text_of(located.body->as_object(), "url");
  if (!url) throw media_error(media_errc::malformed, "soundcloud", "the stream location has no url");
  return *url;
}

}  // namespace spence::resolvers
