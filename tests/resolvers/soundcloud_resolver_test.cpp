// The SoundCloud resolver against its loopback fixture (no test reaches SoundCloud): the client
// id found in the web app's scripts and found again when it rotates; tracks, playlists completed
// by id, searches; previews and blocked tracks reported as such; the stream URL of a progressive
// MP3, else the HLS playlist; and the answers that must not crash it: 404, 429, HTML instead of JSON, a user's page.

#include "resolvers/soundcloud_resolver.hpp"

#include "engine/media_error.hpp"
#include "net/http/http_client_thread.hpp"
#include "tests/resolvers/soundcloud_fixture.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;

class soundcloud_resolver_test : public ::testing::Test {
 protected:
  test::soundcloud_fixture fixture;
  net::http_client_thread http;
  soundcloud_resolver resolver{http, {fixture.base(), fixture.base()}};

  lavalink::load_result url(const std::string& slug) {
    return resolver.load({platform::soundcloud, route_kind::url, "https://soundcloud.com/fixture-artist/" + slug});
  }
  lavalink::load_result search(const std::string& terms) {
    return resolver.load({platform::soundcloud, route_kind::search, terms});
  }
};

TEST_F(soundcloud_resolver_test, ATrackUrlGivesTheTrackAsLavaplayerDescribesIt) {
  auto r = url("first-light");
  ASSERT_EQ(r.type, kind::track) << r.message;
  const auto& info = r.tracks.at(0).info;
  EXPECT_EQ(info.identifier, "1");
  EXPECT_EQ(info.title, "First Light");
  EXPECT_EQ(info.author, "Fixture Artist");
  EXPECT_EQ(info.length_ms, 215000);
  EXPECT_EQ(info.uri, "https://soundcloud.com/fixture-artist/first-light");
  EXPECT_EQ(info.source_name, "soundcloud");
  EXPECT_EQ(info.artwork_url, "https://i1.sndcdn.com/artworks-000001-abcdef-t500x500.jpg");
  EXPECT_EQ(info.isrc, "GBAYE0601498");
  EXPECT_FALSE(info.is_stream);
  // The client id was found in the app's script, the page's last, and is kept.
  url("first-light");
  EXPECT_EQ(fixture.requests("/assets/app.js"), 1);
  EXPECT_EQ(fixture.requests("/assets/vendor.js"), 0);
}

TEST_F(soundcloud_resolver_test, ARotatedClientIdIsFoundAgain) {
  ASSERT_EQ(url("first-light").type, kind::track);
  fixture.rotate_client_id("RotatedClientId0002");
  auto r = url("first-light");
  EXPECT_EQ(r.type, kind::track) << r.message;
  EXPECT_EQ(fixture.requests("/assets/app.js"), 2);
}

TEST_F(soundcloud_resolver_test, APlaylistIsCompletedByIdAndLeavesOutWhatCannotPlay) {
  auto r = url("sets/mix");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Fixture Mix");
  EXPECT_EQ(r.selected_track, -1);
  ASSERT_EQ(r.tracks.size(), 2u);  // the blocked one is left out
  EXPECT_EQ(r.tracks[0].info.title, "First Light");
  EXPECT_EQ(r.tracks[1].info.title, "Third");  // fetched by id, in the playlist's order
  EXPECT_EQ(fixture.requests("/tracks"), 1);
}

TEST_F(soundcloud_resolver_test, SearchesGiveTheirPlayableResults) {
  auto r = search("lofi");
  ASSERT_EQ(r.type, kind::search) << r.message;
  ASSERT_EQ(r.tracks.size(), 1u);  // the preview is left out
  EXPECT_EQ(r.tracks[0].info.title, "First Light");
  EXPECT_EQ(search("nothing at all").type, kind::empty);
}

TEST_F(soundcloud_resolver_test, PreviewsAndBlockedTracksAreErrorsThatSaySo) {
  auto preview = url("preview");
  EXPECT_EQ(preview.type, kind::error);
  EXPECT_EQ(preview.message, "SoundCloud offers only a 30-second preview of this track");
  auto blocked = url("blocked");
  EXPECT_EQ(blocked.type, kind::error);
  EXPECT_EQ(blocked.message, "SoundCloud does not offer this track here");
}

TEST_F(soundcloud_resolver_test, BadAnswersAreEmptyOrErrorsNeverCrashes) {
  EXPECT_EQ(url("missing").type, kind::empty);
  EXPECT_EQ(url("someone").type, kind::empty);  // a user's page: nothing to play
  auto garbage = url("garbage");
  EXPECT_EQ(garbage.type, kind::error);
  EXPECT_EQ(garbage.message, "SoundCloud's answer is not JSON");
  // A Retry-After longer than the resolver waits out: the error names it, and until it has passed
  // SoundCloud is not asked again.
  auto limited = url("limited");
  EXPECT_EQ(limited.type, kind::error);
  EXPECT_EQ(limited.message, "SoundCloud is limiting requests; try again in 9 s");
  const int asked = fixture.requests("/resolve");
  EXPECT_EQ(url("first-light").message, "SoundCloud is limiting requests; try again in 9 s");
  EXPECT_EQ(fixture.requests("/resolve"), asked);
  soundcloud_resolver unreachable(http, {"http://127.0.0.1:1", "http://127.0.0.1:1"});
  auto r = unreachable.load({platform::soundcloud, route_kind::url, "https://soundcloud.com/a/b"});
  EXPECT_EQ(r.type, kind::error);
  EXPECT_EQ(r.message, "spence could not find SoundCloud's client id on its web page");
}

TEST_F(soundcloud_resolver_test, TheStreamIsTheProgressiveMp3ElseTheHlsPlaylist) {
  EXPECT_EQ(resolver.stream_url("https://soundcloud.com/fixture-artist/first-light"),
            fixture.base() + "/stream/1.mp3?Policy=fixture");
  EXPECT_EQ(resolver.stream_url("https://soundcloud.com/fixture-artist/hls-only"),
            fixture.base() + "/hls/5/playlist.m3u8?Policy=fixture");
  EXPECT_THROW(resolver.stream_url("https://soundcloud.com/fixture-artist/preview"), engine::media_error);
}

}  // namespace
}  // namespace spence::resolvers
