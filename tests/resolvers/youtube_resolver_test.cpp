// The YouTube resolver against its loopback InnerTube stand-in (no test reaches YouTube): videos
// by every URL form, playlists, ytsearch: (ISRCs as queries too) and ytmsearch:, tracks as
// Lavalink's youtube source makes them; the stream picked at play time (Opus in WebM) and kept
// until it expires; live streams, other codecs, ciphers and every playability refusal reported
// as such; and the answers that must not crash it: 429s, HTML, truncated JSON, missing fields,
// changed shapes, empty results.

#include "resolvers/youtube_resolver.hpp"

#include "engine/media_error.hpp"
#include "net/http/http_client_thread.hpp"
#include "tests/resolvers/youtube_fixture.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;
using namespace std::chrono_literals;

class youtube_resolver_test : public ::testing::Test {
 protected:
  test::youtube_fixture fixture;
  net::http_client_thread http;
  youtube_resolver resolver{http, {fixture.base(), fixture.base()}};

  lavalink::load_result url(const std::string& u) {
    auto route = route_identifier(u);
    EXPECT_TRUE(route) << u;
    return resolver.load(*route);
  }
  lavalink::load_result video(const std::string& id) { return url("https://www.youtube.com/watch?v=" + id); }
  lavalink::load_result search(const std::string& identifier) { return resolver.load(*route_identifier(identifier)); }
  std::string watch(const std::string& id) { return "https://www.youtube.com/watch?v=" + id; }
};

TEST_F(youtube_resolver_test, AVideoGivesTheTrackAsLavalinksYoutubeSourceDescribesIt) {
  auto r = video("Playable001");
  ASSERT_EQ(r.type, kind::track) << r.message;
  const auto& info = r.tracks.at(0).info;
  EXPECT_EQ(info.identifier, "Playable001");
  EXPECT_EQ(info.title, "Fixture Song (Official Video)");
  EXPECT_EQ(info.author, "Fixture Channel");
  EXPECT_EQ(info.length_ms, 212000);
  EXPECT_FALSE(info.is_stream);
  EXPECT_TRUE(info.is_seekable);
  EXPECT_EQ(info.uri, "https://www.youtube.com/watch?v=Playable001");
  EXPECT_EQ(info.artwork_url, "https://i.ytimg.com/vi/Playable001/maxresdefault.jpg");
  EXPECT_EQ(info.source_name, "youtube");
  // The request is InnerTube's: a POST with the client named in context.client.
  const auto sent = boost::json::parse(fixture.last_body());
  EXPECT_EQ(sent.at("videoId").as_string(), "Playable001");
  EXPECT_EQ(sent.at("context").at("client").at("clientName").as_string(), "ANDROID_VR");
  EXPECT_EQ(fixture.player_requests("IOS"), 0);
}

TEST_F(youtube_resolver_test, EveryUrlFormOfAVideoLoadsIt) {
  for (const auto* u : {"https://youtu.be/Playable001", "https://youtu.be/Playable001?si=share", "https://m.youtube.com/watch?v=Playable001&t=42",
                        "https://www.youtube.com/shorts/Playable001", "https://youtube.com/live/Playable001",
                        "https://music.youtube.com/watch?v=Playable001&feature=share", "https://www.youtube.com/watch?v=Playable001&list=RDPlayable001"}) {
    auto r = url(u);
    ASSERT_EQ(r.type, kind::track) << u << ": " << r.message;
    EXPECT_EQ(r.tracks.at(0).info.identifier, "Playable001") << u;
  }
  EXPECT_EQ(url("https://www.youtube.com/@FixtureChannel").type, kind::empty);  // a channel: nothing to play
  EXPECT_EQ(url("https://youtu.be/short").type, kind::empty);
  EXPECT_EQ(url("https://www.youtube.com/playlist?list=RDPlayable001").type, kind::error);  // a mix without its video
}

TEST_F(youtube_resolver_test, ARefusingClientIsFollowedByTheNext) {
  auto r = video("LoginOnVr01");
  ASSERT_EQ(r.type, kind::track) << r.message;
  EXPECT_EQ(fixture.player_requests("ANDROID_VR"), 1);
  EXPECT_EQ(fixture.player_requests("IOS"), 1);
}

TEST_F(youtube_resolver_test, PlayabilityRefusalsAreErrorsWithTheReasonAndAMissingVideoIsEmpty) {
  const auto error_of = [&](const std::string& id) {
    auto r = video(id);
    EXPECT_EQ(r.type, kind::error) << id;
    return r.message;
  };
  EXPECT_EQ(error_of("Unplayable1"), "The uploader has not made this video available in your country");
  EXPECT_EQ(error_of("AgeLimited1"), "This video requires age verification.");
  EXPECT_EQ(error_of("PrivateVid1"), "This is a private video.");
  EXPECT_EQ(error_of("Removed0001"), "This video has been removed for violating YouTube's Terms of Service");
  EXPECT_EQ(fixture.player_requests("IOS"), 2);  // asked again for the unplayable and the age-limited one only
  EXPECT_EQ(video("NoSuchVide0").type, kind::empty);
}

TEST_F(youtube_resolver_test, ALiveStreamLoadsAsAStreamButDoesNotPlay) {
  auto r = video("LiveStream1");
  ASSERT_EQ(r.type, kind::track) << r.message;
  EXPECT_TRUE(r.tracks.at(0).info.is_stream);
  EXPECT_FALSE(r.tracks.at(0).info.is_seekable);
  EXPECT_EQ(r.tracks.at(0).info.length_ms, std::numeric_limits<std::int64_t>::max());
  try {
    resolver.stream_url(watch("LiveStream1"));
    FAIL() << "a live stream gave a stream URL";
  } catch (const engine::media_error& e) {
    EXPECT_EQ(e.code(), engine::media_errc::unsupported_format);
    EXPECT_NE(std::string(e.what()).find("live streams"), std::string::npos) << e.what();
  }
}

TEST_F(youtube_resolver_test, TheStreamIsOpusInWebmAndIsKeptUntilItExpires) {
  const auto first = resolver.stream_url(watch("Playable001"));
  EXPECT_TRUE(first.starts_with(fixture.base() + "/videoplayback/Playable001.webm?expire=")) << first;
  EXPECT_NE(first.find("itag=251"), std::string::npos);
  const int asked = fixture.requests("/youtubei/v1/player");
  EXPECT_EQ(resolver.stream_url(watch("Playable001")), first);
  EXPECT_EQ(fixture.requests("/youtubei/v1/player"), asked);  // kept
  // Refused before its time (a 403 mid-playback): the kept URL is dropped and YouTube asked again.
  EXPECT_TRUE(resolver.stream_url(watch("Playable001"), true).starts_with(fixture.base() + "/videoplayback/Playable001.webm"));
  EXPECT_EQ(fixture.requests("/youtubei/v1/player"), asked + 1);
  // Loading a video keeps its stream too: playing it next asks nothing more.
  ASSERT_EQ(video("SecondSong1").type, kind::track);
  const int loaded = fixture.requests("/youtubei/v1/player");
  EXPECT_NE(resolver.stream_url(watch("SecondSong1")).find("SecondSong1.webm"), std::string::npos);
  EXPECT_EQ(fixture.requests("/youtubei/v1/player"), loaded);
  // A URL about to expire is not kept: each play asks again.
  resolver.stream_url(watch("ExpireSoon1"));
  resolver.stream_url(watch("ExpireSoon1"));
  EXPECT_EQ(fixture.requests("/youtubei/v1/player"), loaded + 2);
}

TEST_F(youtube_resolver_test, FormatsSpenceCannotPlayAreRefusedNamingWhy) {
  try {
    resolver.stream_url(watch("AacOnly0001"));
    FAIL();
  } catch (const engine::media_error& e) {
    EXPECT_EQ(e.code(), engine::media_errc::unsupported_codec);
    EXPECT_NE(std::string(e.what()).find("audio/mp4; codecs=\"mp4a.40.2\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(resolver.stream_url(watch("Ciphered001")), engine::media_error);
  EXPECT_THROW(resolver.stream_url(watch("Unplayable1")), engine::media_error);
  EXPECT_THROW(resolver.stream_url("https://www.youtube.com/@FixtureChannel"), engine::media_error);
  EXPECT_THROW(resolver.stream_url(watch("Limited0001")), engine::media_error);
}

TEST_F(youtube_resolver_test, APlaylistGivesItsPlayableVideosAndTheSelectedOne) {
  auto r = url("https://www.youtube.com/playlist?list=PLfixture01");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Fixture Playlist");
  // Two pages: the removed and the region-blocked ones are left out; the third page fails (500),
  // which ends the playlist there rather than losing it.
  ASSERT_EQ(r.tracks.size(), 4u);
  EXPECT_EQ(r.tracks[0].info.identifier, "Playable001");
  EXPECT_EQ(r.tracks[0].info.length_ms, 212000);
  EXPECT_EQ(r.tracks[1].info.title, "Second Song");
  EXPECT_EQ(r.tracks[1].info.author, "Other Channel");
  EXPECT_EQ(r.tracks[2].info.identifier, "ThirdSong01");
  EXPECT_EQ(r.tracks[2].info.length_ms, 245000);
  EXPECT_EQ(r.tracks[3].info.title, "Fourth Song");
  EXPECT_EQ(r.selected_track, -1);
  EXPECT_EQ(fixture.requests("/youtubei/v1/browse"), 5);  // two pages, and the third's 500 tried three times
  auto selected = url("https://www.youtube.com/watch?v=SecondSong1&list=PLfixture01");
  ASSERT_EQ(selected.type, kind::playlist);
  EXPECT_EQ(selected.selected_track, 1);
  EXPECT_EQ(url("https://www.youtube.com/watch?v=FourthSong1&list=PLfixture01").selected_track, 3) << "on page two";
  auto missing = url("https://www.youtube.com/playlist?list=PLmissing");
  EXPECT_EQ(missing.type, kind::error);
  EXPECT_EQ(missing.message, "The playlist does not exist.");
  EXPECT_EQ(url("https://www.youtube.com/playlist?list=PLgarbage").message, "YouTube's answer is not JSON");
  // A signed-in user's lists cannot be loaded: the video alone is.
  EXPECT_EQ(url("https://www.youtube.com/watch?v=Playable001&list=WL").type, kind::track);
}

TEST_F(youtube_resolver_test, YtsearchGivesTheVideoResults) {
  auto r = search("ytsearch:lofi");
  ASSERT_EQ(r.type, kind::search) << r.message;
  ASSERT_EQ(r.tracks.size(), 2u);  // the live stream, the ad and the shelf's video are left out
  EXPECT_EQ(r.tracks[0].info.identifier, "Playable001");
  EXPECT_EQ(r.tracks[0].info.length_ms, 212000);
  EXPECT_EQ(r.tracks[0].info.author, "Fixture Channel");
  EXPECT_EQ(r.tracks[1].info.title, "Fixture ");  // the first run, as youtube-source reads titles
  EXPECT_EQ(r.tracks[1].info.length_ms, 3723000);
  const auto sent = boost::json::parse(fixture.last_body());
  EXPECT_EQ(sent.at("context").at("client").at("clientName").as_string(), "WEB");
  EXPECT_EQ(sent.at("params").as_string(), "EgIQAfABAQ==");
  // An ISRC as the query, as the metadata resolvers send it.
  auto isrc = search("ytsearch:\"USUM71703861\"");
  ASSERT_EQ(isrc.type, kind::search) << isrc.message;
  EXPECT_EQ(isrc.tracks.at(0).info.identifier, "IsrcMatch01");
  EXPECT_EQ(boost::json::parse(fixture.last_body()).at("query").as_string(), "\"USUM71703861\"");
  EXPECT_EQ(search("ytsearch:nothing at all").type, kind::empty);
}

TEST_F(youtube_resolver_test, YtmsearchGivesYoutubeMusicsSongs) {
  auto r = search("ytmsearch:fixture song");
  ASSERT_EQ(r.type, kind::search) << r.message;
  ASSERT_EQ(r.tracks.size(), 1u);  // not on YouTube, and without a duration: left out
  const auto& info = r.tracks[0].info;
  EXPECT_EQ(info.identifier, "MusicSong01");
  EXPECT_EQ(info.title, "Fixture Song");
  EXPECT_EQ(info.author, "Fixture Artist");
  EXPECT_EQ(info.length_ms, 225000);
  EXPECT_EQ(info.uri, "https://www.youtube.com/watch?v=MusicSong01");
  EXPECT_EQ(info.source_name, "youtube");
  EXPECT_EQ(boost::json::parse(fixture.last_body()).at("context").at("client").at("clientName").as_string(), "WEB_REMIX");
  EXPECT_EQ(search("ytmsearch:no such song").type, kind::empty);
}

TEST_F(youtube_resolver_test, BadAnswersAreEmptyOrErrorsNeverCrashes) {
  auto missing = search("ytsearch:missing fields");
  ASSERT_EQ(missing.type, kind::search) << missing.message;
  ASSERT_EQ(missing.tracks.size(), 1u);  // only the entry with all a track needs
  EXPECT_EQ(missing.tracks[0].info.author, "Unknown artist");
  auto changed = search("ytsearch:changed shape");
  EXPECT_EQ(changed.type, kind::error);
  EXPECT_EQ(changed.message, "YouTube's search answer has no result sections");
  EXPECT_EQ(search("ytsearch:garbage").message, "YouTube's answer is not JSON");
  EXPECT_EQ(search("ytmsearch:garbage").message, "YouTube Music's answer is not JSON");
  EXPECT_EQ(video("Malformed01").message, "YouTube's answer is not JSON");
  EXPECT_EQ(video("NoDetails01").message, "YouTube's player answer has no video details");
  EXPECT_EQ(video("WrongVideo1").message, "The video YouTube returned is not the one requested");
  // A Retry-After longer than the resolver waits out: the error names it, and until it has passed
  // YouTube is not asked again.
  auto limited = search("ytsearch:limited");
  EXPECT_EQ(limited.type, kind::error);
  EXPECT_EQ(limited.message, "YouTube is limiting requests; try again in 9 s");
  const int asked = fixture.requests("/youtubei/v1/");
  EXPECT_EQ(video("Playable001").message, "YouTube is limiting requests; try again in 9 s");
  EXPECT_EQ(fixture.requests("/youtubei/v1/"), asked);
  youtube_resolver unreachable(http, {"http://127.0.0.1:1", "http://127.0.0.1:1"});
  EXPECT_EQ(unreachable.load(*route_identifier("ytsearch:x")).message, "YouTube could not be reached");
}

TEST(youtube_links, NameVideosAndPlaylists) {
  using k = youtube_link::kind;
  EXPECT_EQ(parse_youtube_link("https://youtu.be/dQw4w9WgXcQ").video_id, "dQw4w9WgXcQ");
  EXPECT_EQ(parse_youtube_link("https://www.youtube.com/embed/dQw4w9WgXcQ?start=3").what, k::video);
  const auto list = parse_youtube_link("https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=PLx");
  EXPECT_EQ(list.what, k::playlist);
  EXPECT_EQ(list.list_id, "PLx");
  EXPECT_EQ(list.video_id, "dQw4w9WgXcQ");
  EXPECT_EQ(parse_youtube_link("https://www.youtube.com/watch?v=bad").what, k::none);
  EXPECT_EQ(parse_youtube_link("not a url").what, k::none);
  EXPECT_EQ(parse_youtube_link("https://www.youtube.com/watch?list=LLx").what, k::none);
  // An empty query before a fragment (Boost.URL 1.81's params() would read past its end).
  EXPECT_EQ(parse_youtube_link("https://www.youtube.com/watch?#t=30").what, k::none);
}

TEST(innertube_answers, DurationsAndLifetimesAreReadStrictly) {
  EXPECT_EQ(duration_text_ms("3:32"), 212000);
  EXPECT_EQ(duration_text_ms("1:02:03"), 3723000);
  EXPECT_EQ(duration_text_ms("42"), 42000);
  for (const auto* bad : {"", "3:", ":3", "3:60", "1:2:3:4", "-1:00", "3 minutes", "99999999999999999999"})
    EXPECT_FALSE(duration_text_ms(bad)) << bad;
  const auto now = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000));
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?expire=1700003600&itag=251", now), 3540s);
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?expire=1800000000", now), 6h);  // at most 6 h
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?expire=1700000030", now), 0s);  // within the margin
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?expire=1600000000", now), 0s);
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?itag=251", now), 6h);
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?expire=soon", now), 6h);
  EXPECT_EQ(stream_url_lifetime("https://r1.example/videoplayback?#expire=1700003600", now), 6h);
}

}  // namespace
}  // namespace spence::resolvers
