// The Deezer resolver against its loopback stand-in (no test reaches Deezer): every URL kind,
// dzsearch:, dzisrc:, tracks as LavaSrc makes them (and their encoding), and the answers that
// must not crash it: Deezer's error objects in a 200, 404, 429 with Retry-After, HTML instead of
// JSON, a track without its artist, an empty playlist, a URL kind spence does not play.

#include "resolvers/deezer_resolver.hpp"

#include "net/http/http_client_thread.hpp"
#include "tests/resolvers/metadata_fixtures.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;

class deezer_resolver_test : public ::testing::Test {
 protected:
  test::deezer_fixture fixture;
  net::http_client_thread http;
  deezer_resolver resolver{http, {fixture.base()}};

  lavalink::load_result url(const std::string& path) {
    return resolver.load({platform::deezer, route_kind::url, "https://www.deezer.com" + path});
  }
};

TEST_F(deezer_resolver_test, ATrackUrlGivesTheTrackAsLavaSrcDescribesIt) {
  auto r = url("/fr/track/3001");
  ASSERT_EQ(r.type, kind::track) << r.message;
  const auto& t = r.tracks.at(0);
  EXPECT_EQ(t.info.identifier, "3001");
  EXPECT_EQ(t.info.title, "Midnight Drive (feat. Luna Vale)");
  EXPECT_EQ(t.info.author, "Night Owls");
  EXPECT_EQ(t.info.length_ms, 201000);
  EXPECT_EQ(t.info.uri, "https://deezer.com/track/3001");
  EXPECT_EQ(t.info.source_name, "deezer");
  EXPECT_EQ(t.info.artwork_url, "https://e-cdns-images.dzcdn.net/images/cover/bbbb/1000x1000-000000-80-0-0.jpg");
  EXPECT_EQ(t.info.isrc, "QZFZ12400001");
  EXPECT_FALSE(t.info.is_stream);
  // The encoded track carries LavaSrc's extended info and decodes back to the same track.
  auto encoded = lavalink::encode_track(t);
  ASSERT_TRUE(encoded);
  auto decoded = lavalink::decode_track(*encoded);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, t);
  const std::string extras(t.source_data.begin(), t.source_data.end());
  EXPECT_NE(extras.find("Night Roads"), std::string::npos);
  EXPECT_NE(extras.find("https://www.deezer.com/album/2001"), std::string::npos);
  EXPECT_NE(extras.find("https://www.deezer.com/artist/1001"), std::string::npos);
  EXPECT_EQ(t.source_data.back(), 0);  // not a preview
}

TEST_F(deezer_resolver_test, AnAlbumIsAPlaylistWhoseTracksTakeTheAlbumsArtwork) {
  auto r = url("/album/2001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Roads");
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[1].info.title, "Open Highway");
  EXPECT_EQ(r.tracks[1].info.artwork_url, "https://e-cdns-images.dzcdn.net/images/cover/bbbb/1000x1000-000000-80-0-0.jpg");
  EXPECT_EQ(r.selected_track, -1);
}

TEST_F(deezer_resolver_test, APlaylistKeepsItsOrder) {
  auto r = url("/playlist/4001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Drives");
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[0].info.identifier, "3002");
  EXPECT_EQ(r.tracks[1].info.identifier, "3001");
  EXPECT_EQ(url("/playlist/4002").type, kind::empty);
}

TEST_F(deezer_resolver_test, AnArtistGivesItsTopTracks) {
  auto r = url("/artist/1001");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Owls's Top Tracks");
  EXPECT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(fixture.requests("/artist/1001/top"), 1);
}

TEST_F(deezer_resolver_test, SearchesAndIsrcs) {
  auto found = resolver.load({platform::deezer, route_kind::search, "midnight drive"});
  ASSERT_EQ(found.type, kind::search) << found.message;
  ASSERT_EQ(found.tracks.size(), 2u);  // the album among the results is left out
  EXPECT_EQ(found.tracks[0].info.title, "Midnight Drive (feat. Luna Vale)");
  EXPECT_EQ(resolver.load({platform::deezer, route_kind::search, "nothing at all"}).type, kind::empty);

  auto isrc = resolver.load({platform::deezer, route_kind::isrc, "QZFZ12400001"});
  ASSERT_EQ(isrc.type, kind::track) << isrc.message;
  EXPECT_EQ(isrc.tracks[0].info.identifier, "3001");
  EXPECT_EQ(resolver.load({platform::deezer, route_kind::isrc, "QZFZ99999999"}).type, kind::empty);
}

TEST_F(deezer_resolver_test, DeezersErrorObjectsAreEmptyOrErrors) {
  EXPECT_EQ(url("/track/404404").type, kind::empty);  // {"error":{"code":800,"message":"no data"}}
  auto quota = url("/track/9");
  EXPECT_EQ(quota.type, kind::error);
  EXPECT_EQ(quota.message, "Deezer is limiting requests; try again later");
  EXPECT_EQ(quota.cause, "Deezer error 4 (Exception): Quota limit exceeded");
  auto refused = url("/track/10");
  EXPECT_EQ(refused.type, kind::error);
  EXPECT_EQ(refused.message, "Deezer refused the request: Wrong parameter");
}

TEST_F(deezer_resolver_test, MalformedAndMissingAnswers) {
  auto garbage = url("/track/7");
  EXPECT_EQ(garbage.type, kind::error);
  EXPECT_EQ(garbage.message, "Deezer's answer is not JSON");
  EXPECT_EQ(url("/track/11").type, kind::empty);  // an HTTP 404
  auto incomplete = url("/track/12");
  EXPECT_EQ(incomplete.type, kind::error);
  EXPECT_EQ(incomplete.message, "Deezer's track lacks its id, title, duration or artist");
  auto show = url("/show/5");
  EXPECT_EQ(show.type, kind::error);
  EXPECT_EQ(show.message, "spence does not play Deezer show URLs");
  EXPECT_EQ(url("/").type, kind::error);
}

TEST_F(deezer_resolver_test, ARateLimitIsAnErrorWithItsRetryAfter) {
  auto limited = url("/track/8");
  EXPECT_EQ(limited.type, kind::error);
  EXPECT_EQ(limited.message, "Deezer is limiting requests; try again in 9 s");
  // While the 9 s run, Deezer is not asked again.
  EXPECT_EQ(url("/track/3001").message, "Deezer is limiting requests; try again in 9 s");
  EXPECT_EQ(fixture.requests("/track/3001"), 0);
}

}  // namespace
}  // namespace spence::resolvers
