// The Spotify resolver against its loopback stand-in (no test reaches Spotify): the client-
// credentials token (fetched once, kept, renewed after a 401, refused credentials), every URL
// kind with the pages and the /tracks?ids= completion, spsearch:, tracks as LavaSrc makes them,
// missing credentials named, and 404, 429 with Retry-After, HTML instead of JSON.

#include "resolvers/spotify_resolver.hpp"

#include "net/http/http_client_thread.hpp"
#include "tests/resolvers/metadata_fixtures.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using kind = lavalink::load_result::kind;
using test::spotify_fixture;

class spotify_resolver_test : public ::testing::Test {
 protected:
  spotify_fixture fixture;
  net::http_client_thread http;

  spotify_settings settings(std::string id = std::string(spotify_fixture::client_id),
                            std::string secret = std::string(spotify_fixture::client_secret)) {
    spotify_settings s;
    s.client_id = std::move(id);
    s.client_secret = std::move(secret);
    s.api = fixture.base() + "/v1";
    s.accounts = fixture.base();
    return s;
  }
  spotify_resolver resolver{http, settings()};

  lavalink::load_result url(const std::string& path) {
    return resolver.load({platform::spotify, route_kind::url, "https://open.spotify.com" + path});
  }
};

TEST_F(spotify_resolver_test, ATrackUrlGivesTheTrackAsLavaSrcDescribesIt) {
  auto r = url("/track/3mDrive?si=abc");
  ASSERT_EQ(r.type, kind::track) << r.message;
  const auto& info = r.tracks.at(0).info;
  EXPECT_EQ(info.identifier, "3mDrive");
  EXPECT_EQ(info.title, "Midnight Drive");
  EXPECT_EQ(info.author, "Night Owls, Luna Vale");
  EXPECT_EQ(info.length_ms, 201000);
  EXPECT_EQ(info.uri, "https://open.spotify.com/track/3mDrive");
  EXPECT_EQ(info.source_name, "spotify");
  EXPECT_EQ(info.artwork_url, "https://i.scdn.co/image/ab67616d0000b273aaaa");
  EXPECT_EQ(info.isrc, "QZFZ12400001");
  // One token serves both requests.
  ASSERT_EQ(url("/intl-de/track/3mDrive").type, kind::track);
  EXPECT_EQ(fixture.tokens_issued(), 1);
}

TEST_F(spotify_resolver_test, AnExpiredTokenIsRenewedAndTheRequestRetried) {
  ASSERT_EQ(url("/track/3mDrive").type, kind::track);
  fixture.expire_tokens();
  auto r = url("/track/3mDrive");
  EXPECT_EQ(r.type, kind::track) << r.message;
  EXPECT_EQ(fixture.tokens_issued(), 2);
  EXPECT_EQ(fixture.requests("/v1/tracks/3mDrive"), 3);
}

TEST_F(spotify_resolver_test, AnAlbumIsReadPageByPageAndCompletedWithIsrcs) {
  auto r = url("/album/2lbumNight");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Roads");
  ASSERT_EQ(r.tracks.size(), 3u);
  EXPECT_EQ(r.tracks[2].info.title, "Last Exit");
  EXPECT_EQ(r.tracks[2].info.isrc, "QZFZ12400003");
  EXPECT_EQ(r.tracks[2].info.artwork_url, "https://i.scdn.co/image/ab67616d0000b273aaaa");
  EXPECT_EQ(fixture.requests("/v1/albums/2lbumNight/tracks"), 1);
}

TEST_F(spotify_resolver_test, APlaylistFollowsItsPagesAndSkipsLocalAndRemovedTracks) {
  auto r = url("/playlist/6playNight");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Drives");
  ASSERT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(r.tracks[0].info.title, "Open Highway");
  EXPECT_EQ(r.tracks[1].info.title, "Midnight Drive");
}

TEST_F(spotify_resolver_test, AnArtistGivesItsTopTracksInTheMarket) {
  auto r = url("/artist/0wlArtist");
  ASSERT_EQ(r.type, kind::playlist) << r.message;
  EXPECT_EQ(r.playlist_name, "Night Owls's Top Tracks");
  EXPECT_EQ(r.tracks.size(), 2u);
}

TEST_F(spotify_resolver_test, Searches) {
  auto r = resolver.load({platform::spotify, route_kind::search, "midnight drive"});
  ASSERT_EQ(r.type, kind::search) << r.message;
  EXPECT_EQ(r.tracks.size(), 2u);
  EXPECT_EQ(resolver.load({platform::spotify, route_kind::search, "nothing"}).type, kind::empty);
}

TEST_F(spotify_resolver_test, MissingCredentialsAreNamed) {
  spotify_resolver none{http, settings("", "")};
  auto r = none.load({platform::spotify, route_kind::search, "midnight"});
  EXPECT_EQ(r.type, kind::error);
  EXPECT_EQ(r.message, "Spotify needs spotify_client_id and spotify_client_secret in the node's configuration ([sources])");
  spotify_resolver no_secret{http, settings(std::string(spotify_fixture::client_id), "")};
  EXPECT_EQ(no_secret.load({platform::spotify, route_kind::search, "midnight"}).message,
            "Spotify needs spotify_client_secret in the node's configuration ([sources])");
  EXPECT_EQ(fixture.requests("/"), 0);
}

TEST_F(spotify_resolver_test, RefusedCredentialsAreAnErrorThatDoesNotShowTheSecret) {
  spotify_resolver wrong{http, settings(std::string(spotify_fixture::client_id), "not-the-secret")};
  auto r = wrong.load({platform::spotify, route_kind::search, "midnight"});
  EXPECT_EQ(r.type, kind::error);
  EXPECT_EQ(r.message, "Spotify refused the client id and secret (sources.spotify_client_id, sources.spotify_client_secret)");
  EXPECT_EQ(r.message.find("not-the-secret"), std::string::npos);
  EXPECT_EQ(r.cause.find("not-the-secret"), std::string::npos);
}

TEST_F(spotify_resolver_test, MissingMalformedAndLimitedAnswers) {
  EXPECT_EQ(url("/track/nothere").type, kind::empty);
  auto garbage = url("/track/garbage");
  EXPECT_EQ(garbage.type, kind::error);
  EXPECT_EQ(garbage.message, "Spotify's answer is not JSON");
  auto episode = url("/episode/1");
  EXPECT_EQ(episode.message, "spence does not play Spotify episode URLs");
  auto limited = url("/track/limited");
  EXPECT_EQ(limited.message, "Spotify is limiting requests; try again in 9 s");
}

}  // namespace
}  // namespace spence::resolvers
