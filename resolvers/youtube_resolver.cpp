#include "resolvers/youtube_resolver.hpp"

#include "engine/media_error.hpp"
#include "resolvers/resolver_router.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace spence::resolvers {

namespace json = boost::json;
namespace lavalink = net::lavalink;
using engine::media_errc;
using engine::media_error;

// An InnerTube client identity: what `context.client` says and the User-Agent its app sends.
// Names and versions as lavalink-devs/youtube-source sends them.
struct innertube_client {
  std::string_view name;
  std::string_view version;
  std::string_view user_agent;
  int android_sdk = 0;  // Android clients say their SDK level
};

struct youtube_resolver::player_answer {
  json_reply reply;       // the transport's or the service's failure, when there is no answer
  youtube_player player;  // the answer, read
};

namespace {

using client = innertube_client;

constexpr client android_vr{"ANDROID_VR", "1.60.19",
                            "com.google.android.apps.youtube.vr.oculus/1.60.19 (Linux; U; Android 12L; "
                            "eureka-user Build/SQ3A.220605.009.A1) gzip",
                            32};
constexpr client ios{"IOS", "19.45.4", "com.google.ios.youtube/19.45.4 (iPhone16,2; U; CPU iOS 18_1_0 like Mac OS X;)"};
constexpr client web{"WEB", "2.20250403.01.00",
                     "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"};
constexpr client web_remix{"WEB_REMIX", "1.20240724.00.00", web.user_agent};
constexpr std::array<const client*, 2> player_clients{&android_vr, &ios};

// The search filters YouTube's apps send: videos only; YouTube Music's songs.
constexpr std::string_view videos_only = "EgIQAfABAQ==";
constexpr std::string_view songs_only = "Eg-KAQwIARAAGAAgACgAMABqChADEAQQCRAFEAo=";

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// An id at the start of a path segment ("ID", "ID?si=...", longer junk cut at 11 as youtube-source does).
std::string leading_video_id(std::string_view segment) {
  const auto id = segment.substr(0, 11);
  return is_video_id(id) ? std::string(id) : std::string();
}

bool is_personal_list(std::string_view list) {
  // Liked videos, Watch later, Liked music: a signed-in user's, never loadable anonymously.
  return list.starts_with("LL") || list.starts_with("WL") || list.starts_with("LM");
}

}  // namespace

youtube_link parse_youtube_link(std::string_view url) {
  youtube_link out;
  const auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return out;
  const auto host = lower(parsed->host());
  std::string path = parsed->path();
  auto param = [&](std::string_view key) -> std::string {
    // Boost.URL 1.81's params() iterator reads past the end of a URL whose query is empty and
    // followed by a fragment ("watch?#..."): an empty query has nothing to find anyway.
    if (parsed->encoded_query().empty()) return {};
    const auto params = parsed->params();
    const auto found = params.find(key);
    return found == params.end() ? std::string() : std::string((*found).value);
  };
  if (host == "youtu.be") {
    out.video_id = leading_video_id(std::string_view(path).substr(path.empty() ? 0 : 1));
  } else if (path == "/watch") {
    out.video_id = leading_video_id(param("v"));
    out.list_id = param("list");
  } else if (path == "/playlist") {
    out.list_id = param("list");
  } else {
    for (const std::string_view prefix : {"/shorts/", "/live/", "/embed/"})
      if (path.starts_with(prefix)) out.video_id = leading_video_id(std::string_view(path).substr(prefix.size()));
  }
  if (!out.list_id.empty() && out.list_id.starts_with("RD")) {
    // A mix is made for its video: without one there is nothing spence loads (see load()).
    out.what = out.video_id.empty() ? youtube_link::kind::mix : youtube_link::kind::video;
    out.list_id.clear();
  } else if (!out.list_id.empty() && !is_personal_list(out.list_id)) {
    out.what = youtube_link::kind::playlist;
  } else if (!out.video_id.empty()) {
    out.what = youtube_link::kind::video;
    out.list_id.clear();
  }
  return out;
}

youtube_resolver::youtube_resolver(net::http_client_thread& http, youtube_endpoints endpoints)
    : api_(http), endpoints_(std::move(endpoints)) {}

json_reply youtube_resolver::call(const std::string& base, std::string_view endpoint, const innertube_client& who, json::object request) {
  json::object context_client{{"clientName", who.name}, {"clientVersion", who.version}, {"hl", "en"}, {"gl", "US"}};
  if (who.android_sdk) context_client["androidSdkVersion"] = who.android_sdk;
  request["context"] = json::object{{"client", std::move(context_client)}, {"user", json::object{{"lockedSafetyMode", false}}}};
  net::http_fetch_request http;
  http.url = base + "/youtubei/v1/" + std::string(endpoint) + "?prettyPrint=false";
  http.method = "POST";
  http.body = json::serialize(request);
  http.headers = {{"Content-Type", "application/json"}, {"User-Agent", std::string(who.user_agent)}};
  if (&who == &web_remix) http.headers.emplace_back("Referer", "https://music.youtube.com/");
  return read_json_reply(api_.fetch(http), &who == &web_remix ? "YouTube Music" : "YouTube");
}

youtube_resolver::player_answer youtube_resolver::player(const std::string& video_id, bool for_playback) {
  player_answer answer;
  for (const auto* who : player_clients) {
    answer.reply = call(endpoints_.api, "player", *who,
                        json::object{{"videoId", video_id}, {"contentCheckOk", true}, {"racyCheckOk", true}});
    if (!answer.reply.body) return answer;
    answer.player = read_player(*answer.reply.body, video_id);
    answer.reply.body.reset();
    keep_stream(video_id, answer.player);
    const bool playable = answer.player.result.type == lavalink::load_result::kind::track;
    if (playable && (!for_playback || answer.player.result.tracks.at(0).info.is_stream ||
                     pick_audio_format(answer.player).format))
      return answer;
    if (!playable && !answer.player.another_client_may_play) return answer;
  }
  return answer;  // the last client's refusal
}

void youtube_resolver::keep_stream(const std::string& video_id, const youtube_player& player) {
  const auto choice = pick_audio_format(player);
  if (!choice.format) return;
  const auto ttl = stream_url_lifetime(choice.format->url, std::chrono::system_clock::now());
  const auto now = std::chrono::duration_cast<actors::clock::time_point>(std::chrono::steady_clock::now().time_since_epoch());
  streams_.put(video_id, choice.format->url, video_id.size() + choice.format->url.size() + 64, ttl, now);
}

lavalink::load_result youtube_resolver::search(const identifier_route& route) {
  if (route.where == platform::youtube_music) {
    auto reply = call(endpoints_.music_api, "search", web_remix, json::object{{"query", route.query}, {"params", songs_only}});
    if (!reply.body) return failure_of(reply);
    return read_music_search(*reply.body);
  }
  auto reply = call(endpoints_.api, "search", web, json::object{{"query", route.query}, {"params", videos_only}});
  if (!reply.body) return failure_of(reply);
  return read_search(*reply.body);
}

lavalink::load_result youtube_resolver::link(const std::string& url) {
  const auto target = parse_youtube_link(url);
  switch (target.what) {
    case youtube_link::kind::none: return {};  // a channel, a page: nothing to play, as in youtube-source
    case youtube_link::kind::mix:
      return load_error("spence does not load YouTube mixes without their video yet", "common", "list=RD... without v=");
    case youtube_link::kind::playlist: {
      auto reply = call(endpoints_.api, "browse", web, json::object{{"browseId", "VL" + target.list_id}});
      if (!reply.body) return failure_of(reply);
      std::optional<std::string> next;
      auto playlist = read_playlist(*reply.body, target.video_id, &next);
      for (int page = 1; next && page < playlist_pages; ++page) {
        auto more = call(endpoints_.api, "browse", web, json::object{{"continuation", *next}});
        if (!more.body) {
          // What was read plays: a later page that fails shortens the playlist, it does not lose it.
          spdlog::warn("youtube: playlist {} stops after {} videos: page {} failed: {}", target.list_id,
                       playlist.tracks.size(), page + 1, more.failure.message);
          break;
        }
        next = read_playlist_continuation(*more.body, playlist, target.video_id);
      }
      return playlist;
    }
    case youtube_link::kind::video: break;
  }
  auto answer = player(target.video_id, false);
  if (!answer.reply.failure.message.empty()) return answer.reply.failure;
  if (answer.reply.not_found) return {};
  return answer.player.result;
}

lavalink::load_result youtube_resolver::load(const identifier_route& route) {
  if (route.where != platform::youtube && route.where != platform::youtube_music) return {};
  if (route.kind == route_kind::search) return search(route);
  if (route.kind == route_kind::url) return link(route.query);
  return {};
}

std::string youtube_resolver::stream_url(const std::string& watch_url, bool refused) {
  const auto target = parse_youtube_link(watch_url);
  if (target.what != youtube_link::kind::video)
    throw media_error(media_errc::malformed, watch_url, "not the URL of a YouTube video");
  if (refused) streams_.forget(target.video_id);
  const auto now = std::chrono::duration_cast<actors::clock::time_point>(std::chrono::steady_clock::now().time_since_epoch());
  if (auto kept = streams_.get(target.video_id, now)) return *kept;
  auto answer = player(target.video_id, true);
  if (!answer.reply.failure.message.empty())
    throw media_error(media_errc::network, watch_url, "no stream: " + answer.reply.failure.message);
  const auto choice = pick_audio_format(answer.player);
  if (choice.format) return choice.format->url;
  // Formats offered, none of them Opus: a codec spence lacks; otherwise nothing fetchable at all.
  const bool other_codecs = !answer.player.audio.empty() && answer.player.result.type == lavalink::load_result::kind::track &&
                            !answer.player.result.tracks.at(0).info.is_stream;
  throw media_error(other_codecs ? media_errc::unsupported_codec : media_errc::unsupported_format, watch_url, choice.why_not);
}

}  // namespace spence::resolvers
