// Playing metadata tracks: a Deezer track (from the Deezer stand-in) is matched to a SoundCloud
// track (from the SoundCloud stand-in), both loaded through a live router actor as ordinary
// identifiers, as the node does at play time: the ISRC provider first, the query provider after
// it, variants refused, providers that cannot be used skipped, and no match a clear error.

#include "resolvers/track_mirror.hpp"

#include "net/http/http_client_thread.hpp"
#include "resolvers/deezer_resolver.hpp"
#include "resolvers/resolver_router.hpp"
#include "resolvers/soundcloud_resolver.hpp"
#include "tests/resolvers/metadata_fixtures.hpp"
#include "tests/resolvers/soundcloud_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>

#include <gtest/gtest.h>

namespace spence::resolvers {
namespace {

namespace lavalink = net::lavalink;
using namespace std::chrono_literals;
using kind = lavalink::load_result::kind;

class track_mirror_test : public ::testing::Test {
 protected:
  test::soundcloud_fixture soundcloud;
  test::deezer_fixture deezer;
  net::http_client_thread http;
  boost::asio::thread_pool work{2};
  actors::runtime rt{actors::runtime_options{2, nullptr}};
  actors::actor_ref<resolver_router::protocol> router;

  void SetUp() override {
    auto services = std::make_shared<resolver_services>();
    services->work = work.get_executor();
    services->platforms[platform::soundcloud] =
        std::make_shared<soundcloud_resolver>(http, soundcloud_endpoints{soundcloud.base(), soundcloud.base()});
    services->platforms[platform::deezer] = std::make_shared<deezer_resolver>(http, deezer_endpoints{deezer.base()});
    rt.services().provide(services);
    router = rt.spawn<resolver_router>("/resolvers/router").value();
  }
  void TearDown() override {
    rt.shutdown(2s);
    work.join();
  }

  lavalink::load_result resolve(const std::string& identifier) {
    return boost::asio::co_spawn(
               rt.executor(),
               [this, identifier]() -> boost::asio::awaitable<lavalink::load_result> {
                 auto r = co_await actors::ask<lavalink::load_result>(
                     router, [&](actors::reply_to<lavalink::load_result> to) { return resolve_identifier{identifier, to}; }, 5s);
                 co_return r ? *r : load_error("no answer: " + r.error().message());
               },
               boost::asio::use_future)
        .get();
  }
  track_mirror mirror(std::vector<std::string> providers) {
    return track_mirror({std::move(providers), {}}, [this](const std::string& id) { return resolve(id); });
  }
  lavalink::track_info deezer_track(const std::string& id) {
    auto r = resolve("https://www.deezer.com/track/" + id);
    EXPECT_EQ(r.type, kind::track) << r.message;
    return r.tracks.at(0).info;
  }
};

TEST_F(track_mirror_test, TheIsrcProviderComesFirstAndItsSameIsrcWins) {
  auto found = mirror({"scsearch:%ISRC%", "scsearch:%QUERY%"}).find(deezer_track("3001"));
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(found->info.source_name, "soundcloud");
  EXPECT_EQ(found->info.identifier, "16");  // the second result, with the ISRC, not the cover before it
  EXPECT_EQ(soundcloud.requests("/search/tracks"), 1);
}

TEST_F(track_mirror_test, TheQueryProviderFindsTheOriginalAmongCoversLiveVersionsAndRemixes) {
  auto found = mirror({"scsearch:%QUERY%"}).find(deezer_track("3001"));
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(found->info.identifier, "14");
  EXPECT_EQ(found->info.title, "Midnight Drive");
}

TEST_F(track_mirror_test, AnIsrcProviderIsSkippedForATrackWithoutOne) {
  auto wanted = deezer_track("3001");
  wanted.isrc.reset();
  auto found = mirror({"scsearch:%ISRC%", "scsearch:%QUERY%"}).find(wanted);
  ASSERT_TRUE(found) << found.error();
  EXPECT_EQ(found->info.identifier, "14");
}

TEST_F(track_mirror_test, NoMatchWithinToleranceIsAClearError) {
  auto found = mirror({"scsearch:%QUERY%", "ytsearch:%QUERY%"}).find(deezer_track("3009"));
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error(),
            "no playable match for \"Unmatched Song\" by Night Owls within tolerance (scsearch:Unmatched Song Night Owls: 0 "
            "results, none close enough; ytsearch:Unmatched Song Night Owls: 0 results, none close enough)");
}

TEST_F(track_mirror_test, MetadataPlatformsAreNotProviders) {
  EXPECT_TRUE(provider_problem("dzsearch:%QUERY%"));
  EXPECT_TRUE(provider_problem("spsearch:%QUERY%"));
  EXPECT_FALSE(provider_problem("ytsearch:\"%ISRC%\""));
  auto found = mirror({"dzsearch:%QUERY%", "amsearch:%QUERY%"}).find(deezer_track("3001"));
  ASSERT_FALSE(found);
  EXPECT_EQ(found.error(), "no provider could search for this track (sources.mirror_providers)");
  EXPECT_EQ(deezer.requests("/search"), 0);
}

}  // namespace
}  // namespace spence::resolvers
