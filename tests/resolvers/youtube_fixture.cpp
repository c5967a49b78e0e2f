#include "tests/resolvers/youtube_fixture.hpp"

#include <boost/json/parse.hpp>

namespace spence::test {

namespace json = boost::json;

namespace {

fixture_response status(unsigned code, std::string body = "{}") { return reply_with(code, std::move(body)); }

fixture_response rate_limited() {
  auto r = status(429, R"({"error":{"code":429,"message":"Resource has been exhausted","status":"RESOURCE_EXHAUSTED"}})");
  r.headers.emplace_back("Retry-After", "9");
  return r;
}

std::string text_at(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* at = &v;
  for (const auto key : path) {
    if (!at->is_object() || !at->as_object().contains(key)) return {};
    at = &at->as_object().at(key);
  }
  return at->is_string() ? std::string(at->as_string()) : std::string();
}

void replace_all(std::string& text, std::string_view what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) text.replace(at, what.size(), with);
}

}  // namespace

youtube_fixture::youtube_fixture() : server_([this](const fixture_request& r) { return answer(r); }) {}

fixture_response youtube_fixture::file(const std::string& name, const std::string& id, std::chrono::seconds expires_in) const {
  auto r = server_.json_file(SPENCE_YOUTUBE_FIXTURES, name);
  const auto expire = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()) + expires_in;
  replace_all(r.body, "{{id}}", id);
  replace_all(r.body, "{{expire}}", std::to_string(expire.count()));
  return r;
}

fixture_response youtube_fixture::answer(const fixture_request& request) {
  if (request.path.starts_with("/videoplayback/")) {
    std::lock_guard lock(mutex_);
    if (stream_.empty() || !request.path.ends_with(".webm")) return status(404);
    return reply_with(200, stream_, "audio/webm");
  }
  if (request.method != "POST" || request.headers.count("content-type") == 0) return status(400);
  {
    std::lock_guard lock(mutex_);
    last_body_ = request.body;
  }
  boost::system::error_code ec;
  const auto body = json::parse(request.body, ec);
  if (ec) return status(400, R"({"error":{"code":400,"message":"Invalid JSON payload received.","status":"INVALID_ARGUMENT"}})");
  const auto client = text_at(body, {"context", "client", "clientName"});
  if (client.empty() || text_at(body, {"context", "client", "clientVersion"}).empty()) return status(400);
  if (request.path == "/youtubei/v1/player") return player(text_at(body, {"videoId"}), client);
  if (request.path == "/youtubei/v1/search") return search(text_at(body, {"query"}), client);
  if (request.path == "/youtubei/v1/browse") {
    // The playlist's second page, which names a third that fails.
    if (const auto token = text_at(body, {"continuation"}); !token.empty())
      return token == "4qmFsgIvEhpWTFBMZml4dHVyZQ" ? file("playlist_continuation.json", "", std::chrono::seconds(0))
                                                   : status(500);
    const auto id = text_at(body, {"browseId"});
    if (id == "VLPLfixture01") return file("playlist.json", "", std::chrono::seconds(0));
    if (id == "VLPLgarbage") return reply_with(200, "<!doctype html><title>Sorry</title>", "text/html");
    return file("playlist_missing.json", "", std::chrono::seconds(0));
  }
  return status(404);
}

fixture_response youtube_fixture::player(const std::string& id, const std::string& client) {
  {
    std::lock_guard lock(mutex_);
    ++player_clients_[client];
  }
  constexpr std::chrono::seconds hours_6{6 * 3600};
  if (id == "Playable001" || id == "SecondSong1" || id == "MusicSong01" || id == "IsrcMatch01")
    return file("player_ok.json", id, hours_6);
  if (id == "ExpireSoon1") return file("player_ok.json", id, std::chrono::seconds(30));  // within the margin
  if (id == "LoginOnVr01") return client == "ANDROID_VR" ? file("player_login_age.json", id, hours_6) : file("player_ok.json", id, hours_6);
  if (id == "LiveStream1") return file("player_live.json", id, hours_6);
  if (id == "Unplayable1") return file("player_unplayable.json", id, hours_6);
  if (id == "AgeLimited1") return file("player_login_age.json", id, hours_6);
  if (id == "PrivateVid1") return file("player_private.json", id, hours_6);
  if (id == "Removed0001") return file("player_removed.json", id, hours_6);
  if (id == "AacOnly0001") return file("player_aac_only.json", id, hours_6);
  if (id == "Ciphered001") return file("player_ciphered.json", id, hours_6);
  if (id == "NoDetails01") return file("player_no_details.json", id, hours_6);
  if (id == "WrongVideo1") return file("player_ok.json", "Playable001", hours_6);
  if (id == "Malformed01") return reply_with(200, R"({"playabilityStatus": {"status": "OK"}, "videoDetails": {"videoId": )", "application/json");
  if (id == "Limited0001") return rate_limited();
  return file("player_unavailable.json", id, hours_6);
}

fixture_response youtube_fixture::search(const std::string& query, const std::string& client) {
  if (query == "limited") return rate_limited();
  if (query == "garbage") return reply_with(200, "<html>We're sorry...</html>", "text/html");
  if (client == "WEB_REMIX") return file(query == "fixture song" ? "music_search.json" : "music_search_empty.json", "", {});
  if (client != "WEB") return status(400);
  if (query == "lofi") return file("search.json", "", {});
  if (query.find("USUM71703861") != std::string::npos) return file("search_isrc.json", "", {});
  if (query == "missing fields") return file("search_missing_fields.json", "", {});
  if (query == "changed shape") return status(200, R"({"contents": {"someNewRenderer": {}}})");
  return file("search_empty.json", "", {});
}

void youtube_fixture::set_stream(std::vector<std::uint8_t> media) {
  std::lock_guard lock(mutex_);
  stream_.assign(media.begin(), media.end());
}

int youtube_fixture::player_requests(const std::string& client) const {
  std::lock_guard lock(mutex_);
  const auto found = player_clients_.find(client);
  return found == player_clients_.end() ? 0 : found->second;
}

std::string youtube_fixture::last_body() const {
  std::lock_guard lock(mutex_);
  return last_body_;
}

}  // namespace spence::test
