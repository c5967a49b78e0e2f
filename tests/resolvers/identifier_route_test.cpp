// Routing what users type: each platform's search prefix and hosts, Deezer's ISRC lookup, plain
// HTTP, local paths; and the identifiers that are refused, each with its reason.

#include "resolvers/identifier_route.hpp"

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

identifier_route routed(std::string_view identifier) {
  auto r = route_identifier(identifier);
  EXPECT_TRUE(r) << identifier << ": " << (r ? "" : r.error());
  return r ? *r : identifier_route{};
}

std::string refused(std::string_view identifier) {
  auto r = route_identifier(identifier);
  EXPECT_FALSE(r) << identifier << " was routed to " << (r ? to_string(r->where) : "");
  return r ? std::string() : r.error();
}

TEST(identifier_route, SearchPrefixesNameTheirPlatforms) {
  EXPECT_EQ(routed("ytsearch:never gonna give you up"),
            (identifier_route{platform::youtube, route_kind::search, "never gonna give you up"}));
  EXPECT_EQ(routed("ytmsearch:  daft punk  "), (identifier_route{platform::youtube_music, route_kind::search, "daft punk"}));
  EXPECT_EQ(routed("scsearch:lofi").where, platform::soundcloud);
  EXPECT_EQ(routed("dzsearch:lofi").where, platform::deezer);
  EXPECT_EQ(routed("spsearch:lofi").where, platform::spotify);
  EXPECT_EQ(routed("amsearch:lofi").where, platform::apple_music);
  EXPECT_EQ(routed("ytsearch:a:b").query, "a:b");  // only the first colon is the prefix's
}

TEST(identifier_route, DeezerIsrcLookupsTakeTheCodeInEitherForm) {
  EXPECT_EQ(routed("dzisrc:USRC17607839"), (identifier_route{platform::deezer, route_kind::isrc, "USRC17607839"}));
  EXPECT_EQ(routed("dzisrc:us-rc1-76-07839").query, "USRC17607839");
  EXPECT_NE(refused("dzisrc:USRC1760783"), "");    // 11 characters
  EXPECT_NE(refused("dzisrc:U1RC17607839"), "");   // a digit in the country
  EXPECT_NE(refused("dzisrc:USRC1760783X"), "");   // a letter in the designation
}

TEST(identifier_route, UrlsGoToThePlatformOfTheirHost) {
  EXPECT_EQ(routed("https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            (identifier_route{platform::youtube, route_kind::url, "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}));
  EXPECT_EQ(routed("https://youtu.be/dQw4w9WgXcQ").where, platform::youtube);
  EXPECT_EQ(routed("https://music.youtube.com/watch?v=x").where, platform::youtube_music);
  EXPECT_EQ(routed("https://SoundCloud.com/artist/track").where, platform::soundcloud);
  EXPECT_EQ(routed("https://www.deezer.com/en/track/3135556").where, platform::deezer);
  EXPECT_EQ(routed("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC").where, platform::spotify);
  EXPECT_EQ(routed("https://music.apple.com/us/album/x/1440857781?i=1440857795").where, platform::apple_music);
  EXPECT_EQ(routed("http://127.0.0.1:8080/radio.ogg").where, platform::http);
  EXPECT_EQ(routed("HTTPS://example.com/a.mp3").where, platform::http);
  // A host that only ends like a platform's is not that platform.
  EXPECT_EQ(routed("https://notyoutube.com/watch?v=x").where, platform::http);
}

TEST(identifier_route, AnythingElseIsALocalPath) {
  EXPECT_EQ(routed("/srv/music/a.ogg"), (identifier_route{platform::local, route_kind::path, "/srv/music/a.ogg"}));
  EXPECT_EQ(routed("relative/b.mp3").where, platform::local);
  EXPECT_EQ(routed("ftp://example.com/a.mp3").where, platform::local);  // no source fetches ftp
}

TEST(identifier_route, MalformedIdentifiersAreRefusedWithTheReason) {
  EXPECT_EQ(refused(""), "the identifier is empty");
  EXPECT_EQ(refused("ytsearch:"), "ytsearch: needs search terms");
  EXPECT_EQ(refused("scsearch:   "), "scsearch: needs search terms");
  EXPECT_EQ(refused("ytsearch:a\nb"), "the identifier holds control characters");
  EXPECT_EQ(refused(std::string(max_identifier_bytes + 1, 'a')), "the identifier is longer than 2048 bytes");
  EXPECT_EQ(refused("https:///no-host"), "the URL has no host: https:///no-host");
  EXPECT_EQ(refused("https://exa mple.com/a.mp3").find("the URL does not parse"), 0u);
  // The reason never repeats what a URL carries after its path, nor its credentials.
  const auto reason = refused("https://user:secret@exa mple.com/a.mp3?sig=token");
  EXPECT_EQ(reason.find("secret"), std::string::npos) << reason;
  EXPECT_EQ(reason.find("token"), std::string::npos) << reason;
}

TEST(identifier_route, SourceNamesAreLavalinks) {
  EXPECT_EQ(source_name(platform::youtube_music), "youtube");
  EXPECT_EQ(source_name(platform::apple_music), "applemusic");
  EXPECT_EQ(source_name(platform::local), "local");
}

}  // namespace
}  // namespace spence::resolvers
