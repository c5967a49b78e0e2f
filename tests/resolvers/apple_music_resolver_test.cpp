// The Apple Music resolver against its loopback stand-in (no test reaches Apple): song URLs and a
// song within an album's URL, albums read page by page, playlists (music videos left out),
// artists' top songs, amsearch:, the storefront from the URL, artwork templates filled in, the
// developer token missing or refused, and 404, 429 with Retry-After, HTML instead of JSON.

#include "resolvers/apple_music_resolver.hpp"

#include "net/http/http_client_thread.hpp"
#include "tests/resolvers/metadata_fixtures.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;
using test::apple_music_fixture;

class apple_music_resolver_test : public ::testing::Test {
 protected:
  apple_music_fixture fixture;
  net::http_client_thread http;

  apple_music_settings settings(std::string token = std::string(apple_music_fixture::token)) {
    return {std::move(token), "us", fixture.base()};
  }
  apple_music_resolver resolver{http, settings()};

  lavalink::load_result url(const std::string& path) {
    return resolver.load({platform::apple_music, route_kind::url, "https://music.apple.com" + path});
  }
};

TEST_F(apple_music_resolver_test, ASongWithinAnAlbumUrlGivesTheSongAsLavaSrcDescribesIt) {
  auto r = url("/us/album/night-roads/1700000001?i=1700000011");
  ASSERT_EQ(r.type, kind::track) << r.message;
  const auto& info = r.tracks.at(0).info;
  EXPECT_EQ(info.identifier, "1700000011");
  EXPECT_EQ(info.title, "Midnight Drive (feat. Luna Vale)");
  EXPECT_EQ(info.author, "Night Owls");
  EXPECT_EQ(info.length_ms, 201000);
  EXPECT_EQ(info.uri, "https://music.apple.com/us/album/night-roads/1700000001?i=1700000011");
  EXPECT_EQ(info.source_name, "applemusic");
  EXPECT_EQ(info.artwork_url, "https://is1-ssl.mzstatic.com/image/thumb/Music/aa/bb/cc/fixture.jpg/3000x3000bb.jpg");
  EXPECT_EQ(info.isrc, "QZFZ12400001");
  EXPECT_EQ(url("/us/song/midnight-drive/1700000011").type, kind::track);
}

TEST_F(apple_music_resolver_test, TheStorefrontComesFromTheUrl) {
  ASSERT_EQ(url("/gb/song/midnight-drive/1700000011").type, kind::track);
  EXPECT_EQ(fixture.requests("/v1/catalog/gb/songs/1700000011"), 1);
  EXPECT_EQ(resolver.load({platform::apple_music, route_kind::search, "midnight"}).type, kind::search);
  EXPECT_EQ(fixture.requests("/v1/catalog/us/search"), 1);  // searches: the configured country
}

TEST_F(apple_music_resolver_test, AnAlbumIsReadPageByPage) {
  auto r = url("/us/album/night-roads/1700000001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Roads");
  ASSERT_EQ(r.tracks.size(), 3u);
  EXPECT_EQ(r.tracks[2].info.title, "Last Exit");
}

TEST_F(apple_music_resolver_test, APlaylistLeavesOutWhatIsNotASong) {
  auto r = url("/us/playlist/night-drives/pl.fixture0001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Drives");
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[0].info.title, "Open Highway");
}

TEST_F(apple_music_resolver_test, AnArtistGivesItsTopSongs) {
  auto r = url("/us/artist/night-owls/1600000001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Owls's Top Tracks");
  EXPECT_EQ(r.tracks.size(), 2u);
}

TEST_F(apple_music_resolver_test, Searches) {
  auto r = resolver.load({platform::apple_music, route_kind::search, "midnight drive"});
  ASSERT_EQ(r.type, kind::search) << r.message;
  EXPECT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(resolver.load({platform::apple_music, route_kind::search, "nothing"}).type, kind::empty);
}

TEST_F(apple_music_resolver_test, AMissingOrRefusedTokenIsAnErrorSayingWhatToConfigure) {
  apple_music_resolver none{http, settings("")};
  auto missing = none.load({platform::apple_music, route_kind::search, "midnight"});
  EXPECT_EQ(missing.type, kind::error);
  EXPECT_EQ(missing.message, "Apple Music needs a developer token in sources.apple_music_token (spence does not take one "
                             "from Apple's web player)");
  apple_music_resolver wrong{http, settings("expired-token")};
  auto refused = wrong.load({platform::apple_music, route_kind::search, "midnight"});
  EXPECT_EQ(refused.message, "Apple Music refused the developer token (expired or invalid); configure a new "
                             "sources.apple_music_token");
  EXPECT_EQ(refused.cause.find("expired-token"), std::string::npos);
}

TEST_F(apple_music_resolver_test, MissingMalformedAndLimitedAnswers) {
  EXPECT_EQ(url("/us/song/x/404").type, kind::empty);
  EXPECT_EQ(url("/us/song/x/7").message, "Apple Music's answer is not JSON");
  EXPECT_EQ(url("/us/music-video/x/1").message, "spence does not play Apple Music music-video URLs");
  EXPECT_EQ(url("/us/song/x/8").message, "Apple Music is limiting requests; try again in 9 s");
}

}  // namespace
}  // namespace spence::resolvers
