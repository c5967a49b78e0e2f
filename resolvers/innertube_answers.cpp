#include "resolvers/innertube_answers.hpp"

#include "resolvers/identifier_route.hpp"
#include "resolvers/json_reply.hpp"
#include "resolvers/resolver_router.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>

namespace spence::resolvers {

namespace json = boost::json;
namespace lavalink = net::lavalink;

namespace {

std::optional<std::int64_t> digits_of(std::string_view text) {
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc{} || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}

// InnerTube writes counts of seconds as strings ("212"), now and then as numbers. Past a century
// it is not a length (and would overflow as milliseconds).
std::optional<std::int64_t> seconds_of(const json::value* v) {
  constexpr std::int64_t century = 100LL * 365 * 24 * 3600;
  std::optional<std::int64_t> n;
  if (v && v->is_string()) n = digits_of(v->as_string());
  else if (v && v->is_int64() && v->as_int64() >= 0) n = v->as_int64();
  if (n && *n > century) return std::nullopt;
  return n;
}

// A text object: {"simpleText": "..."} or {"runs": [{"text": "..."}, ...]} (the first run, as
// youtube-source reads titles and bylines; `all_runs` joins them, as its error messages).
std::optional<std::string> text_in(const json::value* v, bool all_runs = false) {
  if (!v || !v->is_object()) return std::nullopt;
  const auto& o = v->as_object();
  if (auto simple = text_of(o, "simpleText")) return simple;
  const auto* runs = array_of(o, "runs");
  if (!runs || runs->empty()) return std::nullopt;
  std::string out;
  for (const auto& run : *runs) {
    if (!run.is_object()) continue;
    if (auto text = text_of(run.as_object(), "text")) out += *text;
    if (!all_runs) break;
  }
  if (out.empty()) return std::nullopt;
  return out;
}

bool is_true(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_bool() && v->as_bool();
}

// Why InnerTube refuses a video: the error screen's subreason when there is one, else the reason.
std::string refusal_reason(const json::object& status) {
  const auto* screen = dig_object(status.if_contains("errorScreen"), {"playerErrorMessageRenderer"});
  if (screen)
    if (auto sub = text_in(screen->if_contains("subreason"), true)) return *sub;
  return text_of(status, "reason").value_or("");
}

lavalink::load_result refused(std::string message, std::string severity = "common") {
  return load_error(message, std::move(severity), message);
}

// A search result's renderer (videoRenderer, compactVideoRenderer) as a track; nullopt for live
// streams (no lengthText), unplayable entries and entries without what a track needs.
std::optional<lavalink::decoded_track> search_entry(const json::object& r) {
  if (r.contains("unplayableText")) return std::nullopt;
  const auto id = text_of(r, "videoId");
  const auto title = text_in(r.if_contains("title"));
  const auto length = text_in(r.if_contains("lengthText"));
  if (!id || !is_video_id(*id) || !title || !length) return std::nullopt;
  const auto ms = duration_text_ms(*length);
  if (!ms) return std::nullopt;
  auto author = text_in(r.if_contains("longBylineText"));
  if (!author) author = text_in(r.if_contains("ownerText"));
  if (!author) author = text_in(r.if_contains("shortBylineText"));
  return youtube_track(*id, *title, author.value_or("Unknown artist"), ms, false);
}

lavalink::load_result search_results(std::vector<lavalink::decoded_track> tracks) {
  lavalink::load_result result;
  result.tracks = std::move(tracks);
  if (!result.tracks.empty()) result.type = lavalink::load_result::kind::search;
  return result;
}

}  // namespace

bool is_video_id(std::string_view id) {
  return id.size() == 11 && std::all_of(id.begin(), id.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
         });
}

std::optional<std::int64_t> duration_text_ms(std::string_view text) {
  std::int64_t seconds = 0;
  int parts = 0;
  while (true) {
    const auto colon = text.find(':');
    const auto part = digits_of(text.substr(0, colon));
    if (!part || ++parts > 3 || (parts > 1 && *part >= 60) || *part > 1'000'000) return std::nullopt;
    seconds = seconds * 60 + *part;
    if (colon == std::string_view::npos) break;
    text.remove_prefix(colon + 1);
  }
  return seconds * 1000;
}

lavalink::decoded_track youtube_track(std::string id, std::string title, std::string author,
                                      std::optional<std::int64_t> length_ms, bool is_stream) {
  lavalink::decoded_track track;
  track.info.uri = "https://www.youtube.com/watch?v=" + id;
  track.info.artwork_url = "https://i.ytimg.com/vi/" + id + "/maxresdefault.jpg";
  track.info.identifier = std::move(id);
  track.info.title = std::move(title);
  track.info.author = std::move(author);
  track.info.is_stream = is_stream || !length_ms;
  track.info.is_seekable = !track.info.is_stream;
  track.info.length_ms = track.info.is_stream ? std::numeric_limits<std::int64_t>::max() : *length_ms;
  track.info.source_name = std::string(source_name(platform::youtube));
  return track;
}

youtube_player read_player(const json::value& body, std::string_view video_id) {
  youtube_player out;
  const auto* status = dig_object(&body, {"playabilityStatus"});
  const auto code = status ? text_of(*status, "status") : std::nullopt;
  if (!code) {
    out.result = load_error("YouTube's player answer has no playability status", "suspicious", "no playabilityStatus.status");
    return out;
  }
  const auto reason = refusal_reason(*status);
  if (*code == "ERROR") {
    // What InnerTube says of an id no video has: nothing to load, as a missing SoundCloud URL.
    if (reason == "This video is unavailable" || reason.empty()) return out;
    out.result = refused(reason);
    return out;
  }
  if (*code == "UNPLAYABLE") {
    out.another_client_may_play = true;
    out.result = refused(reason.empty() ? "This video is unplayable." : reason);
    return out;
  }
  if (*code == "LOGIN_REQUIRED") {
    if (reason.find("private") != std::string::npos) {
      out.result = refused("This is a private video.");
    } else {
      out.another_client_may_play = true;
      const bool age = reason.find("inappropriate") != std::string::npos || reason.find("age") != std::string::npos;
      out.result = refused(age ? "This video requires age verification." : "This video requires login.");
    }
    return out;
  }
  if (*code != "OK") {
    out.result = refused(!reason.empty() ? reason : "This video cannot be viewed anonymously.");
    return out;
  }
  const auto* details = dig_object(&body, {"videoDetails"});
  if (!details) {
    out.result = load_error("YouTube's player answer has no video details", "suspicious", "no videoDetails");
    return out;
  }
  const auto id = text_of(*details, "videoId");
  const auto title = text_of(*details, "title");
  if (!id || *id != video_id || !title) {
    out.result = load_error(id && *id != video_id ? "The video YouTube returned is not the one requested"
                                                  : "YouTube's video details lack the video's id or title",
                            "suspicious", "videoDetails.videoId/title");
    return out;
  }
  const auto length = seconds_of(details->if_contains("lengthSeconds"));
  const bool live = is_true(*details, "isLive") || (status->contains("liveStreamability") && length.value_or(0) == 0);
  auto track = youtube_track(*id, *title, text_of(*details, "author").value_or("Unknown artist"),
                             live || !length ? std::nullopt : std::optional(*length * 1000), live);
  out.result.type = lavalink::load_result::kind::track;
  out.result.tracks.push_back(std::move(track));
  if (const auto* formats = dig_array(&body, {"streamingData", "adaptiveFormats"}))
    for (const auto& f : *formats) {
      if (!f.is_object()) continue;
      const auto& o = f.as_object();
      const auto mime = text_of(o, "mimeType").value_or("");
      const auto itag = integer_of(o, "itag");
      if (!mime.starts_with("audio/") || !itag || *itag < 0 || *itag > 100'000) continue;
      const auto url = text_of(o, "url");
      if (!url || !(url->starts_with("https://") || url->starts_with("http://"))) {
        if (o.contains("signatureCipher") || o.contains("cipher")) out.ciphered_only = true;
        continue;
      }
      out.audio.push_back({static_cast<int>(*itag), mime, *url, integer_of(o, "bitrate").value_or(0)});
    }
  if (!out.audio.empty()) out.ciphered_only = false;
  return out;
}

youtube_format_choice pick_audio_format(const youtube_player& player) {
  youtube_format_choice out;
  if (player.result.type != lavalink::load_result::kind::track) {
    out.why_not = player.result.type == lavalink::load_result::kind::empty ? "the video does not exist" : player.result.message;
    return out;
  }
  if (player.result.tracks.at(0).info.is_stream) {
    out.why_not = "YouTube serves live streams as HLS or DASH manifests, which spence does not play yet";
    return out;
  }
  for (const int itag : {251, 250, 249})
    for (const auto& f : player.audio)
      if (f.itag == itag) {
        out.format = f;
        return out;
      }
  for (const auto& f : player.audio)
    if (f.mime_type.starts_with("audio/webm") && f.mime_type.find("opus") != std::string::npos) {
      out.format = f;
      return out;
    }
  if (player.audio.empty()) {
    out.why_not = player.ciphered_only ? "YouTube offered this video's audio only behind signature ciphers, which spence does not solve"
                                       : "YouTube offered no audio format for this video";
    return out;
  }
  std::string offered;
  for (const auto& f : player.audio) offered += (offered.empty() ? "" : ", ") + f.mime_type;
  out.why_not = "YouTube offers this video's audio only as " + offered + ", which spence does not decode (it plays WebM/Opus)";
  return out;
}

std::chrono::seconds stream_url_lifetime(std::string_view url, std::chrono::system_clock::time_point now) {
  constexpr std::chrono::seconds longest{6 * 3600};
  constexpr std::chrono::seconds margin{60};
  const auto parsed = boost::urls::parse_uri(url);
  // An empty query: nothing to find, and Boost.URL 1.81's params() iterator would read past the
  // end of such a URL when a fragment follows ("...?#...", found by fuzz_innertube_answers).
  if (!parsed || parsed->encoded_query().empty()) return longest;
  const auto params = parsed->params();
  const auto found = params.find("expire");
  if (found == params.end() || !(*found).has_value) return longest;
  const auto expire = digits_of((*found).value);
  if (!expire) return longest;
  const auto left = std::chrono::seconds(*expire) - std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()) - margin;
  return std::clamp(left, std::chrono::seconds::zero(), longest);
}

lavalink::load_result read_search(const json::value& body) {
  std::vector<lavalink::decoded_track> tracks;
  // WEB answers under twoColumnSearchResultsRenderer, the mobile clients under sectionListRenderer.
  const auto* sections = dig_array(&body, {"contents", "twoColumnSearchResultsRenderer", "primaryContents",
                                           "sectionListRenderer", "contents"});
  if (!sections) sections = dig_array(&body, {"contents", "sectionListRenderer", "contents"});
  if (!sections) return load_error("YouTube's search answer has no result sections", "suspicious", "no sectionListRenderer");
  for (const auto& section : *sections) {
    const auto* items = dig_array(&section, {"itemSectionRenderer", "contents"});
    if (!items) continue;  // continuations, shelves of other kinds
    for (const auto& item : *items)
      for (const auto key : {"videoRenderer", "compactVideoRenderer"})
        if (const auto* r = dig_object(&item, {std::string_view(key)}))
          if (auto track = search_entry(*r)) tracks.push_back(std::move(*track));
  }
  return search_results(std::move(tracks));
}

lavalink::load_result read_music_search(const json::value& body) {
  const auto* sections = dig_array(&body, {"contents", "tabbedSearchResultsRenderer", "tabs", 0u, "tabRenderer",
                                           "content", "sectionListRenderer", "contents"});
  if (!sections) return load_error("YouTube Music's search answer has no result sections", "suspicious", "no tabbedSearchResultsRenderer");
  std::vector<lavalink::decoded_track> tracks;
  for (const auto& section : *sections) {
    const auto* items = dig_array(&section, {"musicShelfRenderer", "contents"});
    if (!items) continue;
    for (const auto& item : *items) {
      const auto* columns = dig(&item, {"musicResponsiveListItemRenderer", "flexColumns"});
      const auto* head = dig_object(columns, {0u, "musicResponsiveListItemFlexColumnRenderer", "text", "runs", 0u});
      const auto* byline = dig_array(columns, {1u, "musicResponsiveListItemFlexColumnRenderer", "text", "runs"});
      if (!head || !byline || byline->empty() || !byline->back().is_object() || !byline->front().is_object()) continue;
      const auto title = text_of(*head, "text");
      const auto id = dig(&item, {"musicResponsiveListItemRenderer", "flexColumns", 0u, "musicResponsiveListItemFlexColumnRenderer",
                                  "text", "runs", 0u, "navigationEndpoint", "watchEndpoint", "videoId"});
      // An entry without a watch endpoint is not on YouTube; the byline's last run is the duration
      // unless it links somewhere (then there is none).
      if (!title || !id || !id->is_string() || !is_video_id(id->as_string())) continue;
      if (byline->back().as_object().contains("navigationEndpoint")) continue;
      const auto ms = duration_text_ms(text_of(byline->back().as_object(), "text").value_or(""));
      if (!ms) continue;
      tracks.push_back(youtube_track(std::string(id->as_string()), *title,
                                     text_of(byline->front().as_object(), "text").value_or("Unknown artist"), ms, false));
    }
    break;  // the first shelf holds the results; later ones are other kinds (albums, artists)
  }
  return search_results(std::move(tracks));
}

namespace {

// A playlist page's entries appended to `into`; the token of the page after it, if the page ends
// in one.
std::optional<std::string> append_playlist_entries(const json::array& entries, lavalink::load_result& into,
                                                   std::string_view selected_video) {
  std::optional<std::string> next_page;
  for (const auto& entry : entries) {
    if (const auto* more = dig_object(&entry, {"continuationItemRenderer", "continuationEndpoint", "continuationCommand"})) {
      next_page = text_of(*more, "token");
      continue;
    }
    const auto* r = dig_object(&entry, {"playlistVideoRenderer"});
    // No isPlayable: removed or blocked; no byline: blocked in this region (youtube-source's rules).
    if (!r || !is_true(*r, "isPlayable") || !r->contains("shortBylineText")) continue;
    const auto id = text_of(*r, "videoId");
    const auto title = text_in(r->if_contains("title"));
    if (!id || !is_video_id(*id) || !title) continue;
    const auto seconds = seconds_of(r->if_contains("lengthSeconds"));
    if (*id == selected_video) into.selected_track = static_cast<int>(into.tracks.size());
    into.tracks.push_back(youtube_track(*id, *title, text_in(r->if_contains("shortBylineText")).value_or("Unknown artist"),
                                        seconds ? std::optional(*seconds * 1000) : std::nullopt, false));
  }
  if (next_page && next_page->empty()) next_page.reset();
  return next_page;
}

}  // namespace

lavalink::load_result read_playlist(const json::value& body, std::string_view selected_video,
                                    std::optional<std::string>* next_page) {
  if (const auto* alerts = dig_array(&body, {"alerts"}))
    for (const auto& alert : *alerts) {
      const auto* r = dig_object(&alert, {"alertRenderer"});
      if (r && text_of(*r, "type") == "ERROR")
        return refused(text_in(r->if_contains("text"), true).value_or("YouTube refused the playlist"));
    }
  std::optional<std::string> name;
  if (const auto* meta = dig_object(&body, {"metadata", "playlistMetadataRenderer"})) name = text_of(*meta, "title");
  if (!name) name = text_in(dig(&body, {"header", "playlistHeaderRenderer", "title"}));
  if (!name) return load_error("YouTube's playlist answer has no title", "suspicious", "no playlistMetadataRenderer.title");
  const auto* list = dig_array(&body, {"contents", "twoColumnBrowseResultsRenderer", "tabs", 0u, "tabRenderer", "content",
                                       "sectionListRenderer", "contents", 0u, "itemSectionRenderer", "contents", 0u,
                                       "playlistVideoListRenderer", "contents"});
  if (!list) return load_error("YouTube's playlist answer has no video list", "suspicious", "no playlistVideoListRenderer");
  lavalink::load_result result;
  result.type = lavalink::load_result::kind::playlist;
  result.playlist_name = *name;
  auto next = append_playlist_entries(*list, result, selected_video);
  if (result.tracks.empty()) return refused("YouTube's playlist holds no playable videos");
  if (next_page) *next_page = std::move(next);
  return result;
}

std::optional<std::string> read_playlist_continuation(const json::value& page, lavalink::load_result& playlist,
                                                      std::string_view selected_video) {
  std::optional<std::string> next_page;
  if (const auto* actions = dig_array(&page, {"onResponseReceivedActions"}))
    for (const auto& action : *actions)
      if (const auto* items = dig_array(&action, {"appendContinuationItemsAction", "continuationItems"}))
        if (auto next = append_playlist_entries(*items, playlist, selected_video); next && !next_page) next_page = std::move(next);
  return next_page;
}

}  // namespace spence::resolvers
