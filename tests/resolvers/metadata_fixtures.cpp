#include "tests/resolvers/metadata_fixtures.hpp"

#include "net/lavalink/base64.hpp"

#include <span>

#include <fmt/format.h>

namespace spence::test {

namespace {

std::string header(const fixture_request& r, const std::string& name) {
  const auto at = r.headers.find(name);
  return at == r.headers.end() ? std::string() : at->second;
}

fixture_response limited() {
  auto r = reply_with(429, "{}");
  r.headers.emplace_back("Retry-After", "9");
  return r;
}

fixture_response not_json() { return reply_with(200, "<html>maintenance</html>", "text/html"); }

// `r` with another status (the services' error bodies come with theirs).
fixture_response with_status(fixture_response r, unsigned code) {
  r.status = code;
  return r;
}

}  // namespace

deezer_fixture::deezer_fixture() : server_([this](const fixture_request& r) { return answer(r); }) {}

fixture_response deezer_fixture::answer(const fixture_request& request) {
  const auto& p = request.path;
  if (p == "/track/3001" || p == "/track/isrc:QZFZ12400001") return server_.json_file(SPENCE_DEEZER_FIXTURES, "track.json");
  if (p == "/track/3009") return server_.json_file(SPENCE_DEEZER_FIXTURES, "track_unmatched.json");
  if (p == "/track/7") return not_json();
  if (p == "/track/8") return limited();
  if (p == "/track/9") return server_.json_file(SPENCE_DEEZER_FIXTURES, "error_quota.json");
  if (p == "/track/10") return server_.json_file(SPENCE_DEEZER_FIXTURES, "error_param.json");
  if (p == "/track/11") return reply_with(404, "");
  if (p == "/track/12") return reply_with(200, R"({"id":12,"title":"No artist"})");
  if (p == "/album/2001") return server_.json_file(SPENCE_DEEZER_FIXTURES, "album.json");
  if (p == "/playlist/4001") return server_.json_file(SPENCE_DEEZER_FIXTURES, "playlist.json");
  if (p == "/playlist/4002") return reply_with(200, R"({"id":4002,"title":"Empty","tracks":{"data":[]}})");
  if (p == "/artist/1001") return server_.json_file(SPENCE_DEEZER_FIXTURES, "artist.json");
  if (p == "/artist/1001/top" && request.query.at("limit") == "50") return server_.json_file(SPENCE_DEEZER_FIXTURES, "artist_top.json");
  if (p == "/search") {
    if (request.query.contains("q") && request.query.at("q").starts_with("midnight")) return server_.json_file(SPENCE_DEEZER_FIXTURES, "search.json");
    return reply_with(200, R"({"data":[],"total":0})");
  }
  return server_.json_file(SPENCE_DEEZER_FIXTURES, "error_no_data.json");  // Deezer answers 200 with its error object
}

spotify_fixture::spotify_fixture() : server_([this](const fixture_request& r) { return answer(r); }) {}

void spotify_fixture::expire_tokens() {
  std::lock_guard lock(mutex_);
  valid_.clear();
}

int spotify_fixture::tokens_issued() const {
  std::lock_guard lock(mutex_);
  return issued_;
}

fixture_response spotify_fixture::token(const fixture_request& request) {
  const std::string pair = fmt::format("{}:{}", client_id, client_secret);
  const auto expected = "Basic " + net::lavalink::base64_encode(std::span(reinterpret_cast<const std::uint8_t*>(pair.data()), pair.size()));
  if (request.method != "POST" || request.body != "grant_type=client_credentials" ||
      header(request, "content-type") != "application/x-www-form-urlencoded")
    return reply_with(400, R"({"error":"unsupported_grant_type"})");
  if (header(request, "authorization") != expected) {
    return with_status(server_.json_file(SPENCE_SPOTIFY_FIXTURES, "error_credentials.json"), 400);  // invalid_client
  }
  std::lock_guard lock(mutex_);
  const auto token = fmt::format("BQFixtureToken-{}", ++issued_);
  valid_.insert(token);
  return reply_with(200, fmt::format(R"({{"access_token":"{}","token_type":"Bearer","expires_in":3600}})", token));
}

fixture_response spotify_fixture::answer(const fixture_request& request) {
  const auto& p = request.path;
  if (p == "/api/token") return token(request);
  {
    std::lock_guard lock(mutex_);
    const auto auth = header(request, "authorization");
    if (!auth.starts_with("Bearer ") || !valid_.contains(auth.substr(7))) {
      return with_status(server_.json_file(SPENCE_SPOTIFY_FIXTURES, "error_token.json"), 401);
    }
  }
  const auto q = [&](const std::string& key) { return request.query.contains(key) ? request.query.at(key) : std::string(); };
  if (p == "/v1/tracks/3mDrive") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "track.json");
  if (p == "/v1/tracks/limited") return limited();
  if (p == "/v1/tracks/garbage") return not_json();
  if (p == "/v1/tracks" && q("ids") == "3mDrive,4pHighway,5tLast") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "tracks_album.json");
  if (p == "/v1/albums/2lbumNight") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "album.json");
  if (p == "/v1/albums/2lbumNight/tracks" && q("offset") == "2") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "album_tracks_2.json");
  if (p == "/v1/playlists/6playNight") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "playlist.json");
  if (p == "/v1/playlists/6playNight/tracks" && q("offset") == "3") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "playlist_tracks_2.json");
  if (p == "/v1/artists/0wlArtist") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "artist.json");
  if (p == "/v1/artists/0wlArtist/top-tracks" && q("market") == "US") return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "artist_top.json");
  if (p == "/v1/search" && q("type") == "track") {
    if (q("q").starts_with("midnight")) return server_.json_file(SPENCE_SPOTIFY_FIXTURES, "search.json");
    return reply_with(200, R"({"tracks":{"items":[],"limit":10,"next":null,"offset":0,"previous":null,"total":0}})");
  }
  return with_status(server_.json_file(SPENCE_SPOTIFY_FIXTURES, "error_not_found.json"), 404);
}

apple_music_fixture::apple_music_fixture()
    : server_([this](const fixture_request& r) { return answer(r); }) {}

fixture_response apple_music_fixture::answer(const fixture_request& request) {
  if (header(request, "authorization") != fmt::format("Bearer {}", token)) {
    return with_status(server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "error_unauthorized.json"), 401);
  }
  const auto& p = request.path;
  // The storefront is the path's fourth segment: /v1/catalog/us/...
  const auto rest = p.starts_with("/v1/catalog/") && p.size() > 14 ? p.substr(14) : std::string();
  if (rest == "/songs/1700000011") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "song.json");
  if (rest == "/songs/7") return not_json();
  if (rest == "/songs/8") return limited();
  if (rest == "/albums/1700000001") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "album.json");
  if (rest == "/albums/1700000001/tracks" && request.query.contains("offset")) return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "album_tracks_2.json");
  if (rest == "/playlists/pl.fixture0001") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "playlist.json");
  if (rest == "/artists/1600000001") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "artist.json");
  if (rest == "/artists/1600000001/view/top-songs") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "artist_top.json");
  if (rest == "/search" && request.query.contains("term")) {
    if (request.query.at("term").starts_with("midnight") && request.query.at("types") == "songs") return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "search.json");
    return server_.json_file(SPENCE_APPLE_MUSIC_FIXTURES, "search_empty.json");
  }
  return reply_with(404, R"({"errors":[{"id":"FIXTURE404","title":"Resource Not Found","status":"404","code":"40400"}]})");
}

}  // namespace spence::test
