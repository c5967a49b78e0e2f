// The Lavalink node on loopback, as a client sees it: real HTTP requests and a real WebSocket to a
// node whose players play into the Discord emulator. What a client library depends on is checked
// here field by field (auth, headers, error bodies, sessions, players, events); the end-to-end
// test with lavalink-client itself is tests/interop/lavalink-client.

#include "app/demo_sample.hpp"
#include "app/node_loader.hpp"
#include "app/node_tracks.hpp"
#include "app/voice_guilds.hpp"

#include "net/http/http_server.hpp"
#include "net/lavalink/lavalink_node.hpp"
#include "net/lavalink/track_codec.hpp"
#include "net/voice/voice_connection.hpp"
#include "net/voice/voice_emulator.hpp"
#include "tests/resolvers/metadata_fixtures.hpp"
#include "tests/resolvers/soundcloud_fixture.hpp"
#include "tests/resolvers/youtube_fixture.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

namespace spence::app {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace json = boost::json;
using namespace std::chrono_literals;
using tcp = asio::ip::tcp;

constexpr std::string_view password = "test-password";

struct reply {
  unsigned status = 0;
  std::string body;
  http::fields headers;
  json::value json() const { return json::parse(body); }
};

class lavalink_node_test : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("spence-node-test-" + std::to_string(::getpid()) + "-" +
                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  asio::io_context emulator_io;
  asio::executor_work_guard<asio::io_context::executor_type> work{emulator_io.get_executor()};
  std::shared_ptr<net::voice_emulator> emulator;
  std::thread emulator_thread;
  std::shared_ptr<node_tracks> tracks;
  std::unique_ptr<voice_guilds> guilds;
  std::unique_ptr<node_loader> loader;
  std::optional<resolvers::soundcloud_endpoints> soundcloud;  // off unless a test points it at a fixture
  std::optional<resolvers::youtube_endpoints> youtube;        // likewise
  bool prometheus = false;  // the /metrics page, with the resolvers' families
  std::optional<resolvers::deezer_endpoints> deezer;          // likewise
  resolvers::mirror_settings mirror{{"scsearch:%QUERY%"}, {}};  // the SoundCloud stand-in plays metadata tracks
  std::shared_ptr<net::lavalink::lavalink_node> node;
  std::shared_ptr<net::http_server> server;
  std::uint16_t port = 0;

  void start(std::size_t max_players = 10, net::voice_emulator_options emulator_options = {}) {
    std::filesystem::create_directories(dir);
    emulator = std::make_shared<net::voice_emulator>(emulator_io.get_executor(), std::move(emulator_options));
    emulator->start();
    emulator_thread = std::thread([this] { emulator_io.run(); });
    node_sources sources;
    sources.local = true;
    sources.soundcloud = soundcloud;
    sources.youtube = youtube;
    sources.deezer = deezer;
    sources.mirror = mirror;
    tracks = std::make_shared<node_tracks>(std::move(sources));
    voice_guilds_options setup;
    setup.threads = 2;
    setup.open = [t = tracks](const std::string& encoded) { return t->open(encoded); };
    guilds = std::make_unique<voice_guilds>(std::move(setup));
    net::lavalink::lavalink_node_options options;
    options.password = std::string(password);
    options.source_managers = tracks->source_managers();
    options.max_players = max_players;
    options.stats_interval = 200ms;
    options.player_update_interval_ms = 200;
    options.seed = 7;
    options.voice_connect_timeout = 2s;  // the refused endpoint below fails within it
    loader = std::make_unique<node_loader>(guilds->runtime(), *tracks);
    tracks->mirror_through(loader->blocking_load());
    options.load = [l = loader.get()](const std::string& id) { return l->load(id); };
    if (prometheus) {
      options.metrics_endpoint = "/metrics";
      options.extra_metrics = [l = loader.get()](net::lavalink::metrics_text& out) { return l->metrics(out); };
    }
    const auto strand = asio::make_strand(guilds->runtime().executor());
    node = std::make_shared<net::lavalink::lavalink_node>(strand, guilds->runtime(), std::move(options));
    node->start();
    net::http_server_options server_options;
    server_options.max_body_bytes = 4096;
    server = std::make_shared<net::http_server>(strand, node, server_options);
    port = server->listen(tcp::endpoint(asio::ip::address_v4::loopback(), 0)).port();
    server->listen(dir / "node.sock");
    server->start();
  }

  void TearDown() override {
    if (server) server->stop();
    if (node) asio::co_spawn(guilds->runtime().executor(), node->shut_down(), asio::use_future).get();
    emulator->stop();
    if (guilds) guilds->shutdown();
    loader.reset();
    work.reset();
    emulator_thread.join();
    std::filesystem::remove_all(dir);
  }

  reply request(http::verb method, std::string target, std::string body = {}, bool authorized = true,
                std::string_view pass = password) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::address_v4::loopback(), port));
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (authorized) req.set(http::field::authorization, pass);
    if (!body.empty()) {
      req.set(http::field::content_type, "application/json");
      req.body() = std::move(body);
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    return {res.result_int(), res.body(), res.base()};
  }

  std::string gateway() const { return "ws://127.0.0.1:" + std::to_string(emulator->gateway_endpoint().port()); }
  // A PATCH body joining voice through the emulator and playing `encoded`.
  std::string voice_and_track(const std::string& encoded) const {
    return R"({"voice":{"token":"t","endpoint":")" + gateway() + R"(","sessionId":"vs","channelId":"99"},)" +
           R"("track":{"encoded":")" + encoded + R"("}})";
  }
  // Plays `encoded` on a new session's player into the emulator: it starts, finishes, and the
  // emulator receives its packets undamaged.
  void play_to_the_end(const std::string& encoded);

  // A local Ogg Opus file of `seconds`, loaded through the node: its encoded track.
  std::string local_track(double seconds) {
    const auto path = dir / "sample.ogg";
    const auto bytes = demo_sample(seconds);
    std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()),
                                                static_cast<std::streamsize>(bytes.size()));
    auto loaded = request(http::verb::get, "/v4/loadtracks?identifier=" + path.string());
    EXPECT_EQ(loaded.status, 200u);
    auto result = loaded.json();
    EXPECT_EQ(result.at("loadType").as_string(), "track") << loaded.body;
    return std::string(result.at("data").at("encoded").as_string());
  }
};

// A client's WebSocket: the upgrade response, then the node's messages.
struct session_socket {
  asio::io_context io;
  beast::websocket::stream<tcp::socket> ws{io};
  beast::websocket::response_type upgrade;

  session_socket(std::uint16_t port, std::string user_id, std::string session_id = {}) {
    asio::connect(ws.next_layer(), std::vector{tcp::endpoint(asio::ip::address_v4::loopback(), port)});
    ws.set_option(beast::websocket::stream_base::decorator([=](beast::websocket::request_type& r) {
      r.set(http::field::authorization, password);
      if (!user_id.empty()) r.set("User-Id", user_id);
      r.set("Client-Name", "spence-test/1.0");
      if (!session_id.empty()) r.set("Session-Id", session_id);
    }));
    ws.handshake(upgrade, "127.0.0.1", "/v4/websocket");
  }
  json::object next() {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return json::parse(beast::buffers_to_string(buffer.data())).as_object();
  }
  // The next message with op (and event type) `what`, skipping stats and position updates.
  json::object next_of(std::string_view op, std::string_view type = {}) {
    for (int i = 0; i < 500; ++i) {
      auto m = next();
      if (m.at("op").as_string() == op && (type.empty() || m.at("type").as_string() == type)) return m;
    }
    ADD_FAILURE() << "no " << op << " " << type;
    return {};
  }
};

TEST_F(lavalink_node_test, authorization_is_lavalinks_401_and_403_with_empty_bodies) {
  start();
  auto missing = request(http::verb::get, "/version", {}, false);
  EXPECT_EQ(missing.status, 401u);
  EXPECT_TRUE(missing.body.empty());
  EXPECT_EQ(missing.headers["Lavalink-Api-Version"], "4");
  auto wrong = request(http::verb::get, "/v4/info", {}, true, "test-passworD");
  EXPECT_EQ(wrong.status, 403u);
  EXPECT_TRUE(wrong.body.empty());
  auto version = request(http::verb::get, "/version");
  EXPECT_EQ(version.status, 200u);
  EXPECT_EQ(version.body, net::lavalink::lavalink_api_semver);
  EXPECT_EQ(version.headers["Lavalink-Api-Version"], "4");
}

TEST_F(lavalink_node_test, info_and_stats_have_the_fields_clients_read) {
  start();
  auto info = request(http::verb::get, "/v4/info").json().as_object();
  EXPECT_EQ(info.at("version").at("major").to_number<std::int64_t>(), 4);
  EXPECT_EQ(info.at("sourceManagers").as_array().size(), 2u);
  EXPECT_EQ(info.at("filters").as_array().size(), 10u);
  EXPECT_TRUE(info.at("plugins").as_array().empty());
  auto stats = request(http::verb::get, "/v4/stats").json().as_object();
  EXPECT_EQ(stats.at("players").to_number<std::uint64_t>(), 0u);
  EXPECT_GT(stats.at("memory").at("used").to_number<std::uint64_t>(), 0u);
  EXPECT_GE(stats.at("cpu").at("cores").to_number<std::uint64_t>(), 1u);
  EXPECT_FALSE(stats.contains("frameStats"));  // never on /v4/stats
}

TEST_F(lavalink_node_test, errors_have_springs_body_and_trace_only_when_asked) {
  start();
  auto unknown = request(http::verb::get, "/v4/nothing-here");
  EXPECT_EQ(unknown.status, 404u);
  auto body = unknown.json().as_object();
  EXPECT_EQ(body.at("status").to_number<std::int64_t>(), 404);
  EXPECT_EQ(body.at("error").as_string(), "Not Found");
  EXPECT_EQ(body.at("path").as_string(), "/v4/nothing-here");
  EXPECT_TRUE(body.contains("timestamp"));
  EXPECT_FALSE(body.contains("trace"));
  auto traced = request(http::verb::get, "/v4/sessions/nosuchsession/players?trace=true").json().as_object();
  EXPECT_EQ(traced.at("message").as_string(), "Session not found");
  EXPECT_TRUE(traced.contains("trace"));
  auto too_large = request(http::verb::post, "/v4/decodetracks", "[\"" + std::string(5000, 'A') + "\"]");
  EXPECT_EQ(too_large.status, 413u);
  EXPECT_EQ(too_large.json().at("status").to_number<std::int64_t>(), 413);
  EXPECT_EQ(request(http::verb::get, "/v4/routeplanner/status").status, 204u);
  EXPECT_EQ(request(http::verb::post, "/v4/routeplanner/free/all").status, 500u);
}

TEST_F(lavalink_node_test, tracks_decode_and_loads_say_empty_or_error) {
  start();
  const std::string encoded = "QAAAKwMAAVQAAUEAAAAAAAAD6AACaWQAAQABdQAAAAd5b3V0dWJlAAAAAAAAAAA=";
  auto one = request(http::verb::get, "/v4/decodetrack?encodedTrack=" + encoded);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(one.json().at("info").at("title").as_string(), "T");
  EXPECT_EQ(request(http::verb::get, "/v4/decodetrack?track=" + encoded).status, 200u);  // Shoukaku's parameter
  EXPECT_EQ(request(http::verb::get, "/v4/decodetrack").json().at("message").as_string(), "No track to decode provided");
  EXPECT_EQ(request(http::verb::get, "/v4/decodetrack?encodedTrack=%21%21").status, 400u);
  auto many = request(http::verb::post, "/v4/decodetracks", "[\"" + encoded + "\",\"" + encoded + "\"]");
  EXPECT_EQ(many.json().as_array().size(), 2u);
  EXPECT_EQ(request(http::verb::post, "/v4/decodetracks", "[]").json().at("message").as_string(), "No tracks to decode provided");
  EXPECT_EQ(request(http::verb::post, "/v4/decodetracks", "{").status, 400u);

  auto search = request(http::verb::get, "/v4/loadtracks?identifier=ytsearch%3Asomething").json().as_object();
  EXPECT_EQ(search.at("loadType").as_string(), "empty");
  EXPECT_TRUE(search.at("data").is_null());
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "garbage.ogg") << "this is not media at all, only words";
  auto error = request(http::verb::get, "/v4/loadtracks?identifier=" + (dir / "garbage.ogg").string()).json().as_object();
  EXPECT_EQ(error.at("loadType").as_string(), "error");
  EXPECT_TRUE(error.at("data").at("message").is_string());
  EXPECT_TRUE(error.at("data").at("severity").is_string());
}

TEST_F(lavalink_node_test, a_local_file_loads_as_lavalink_describes_it) {
  start();
  const auto encoded = local_track(1.0);
  auto decoded = net::lavalink::decode_track(encoded);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->info.source_name, "local");
  EXPECT_EQ(decoded->probe_info, "ogg");
  EXPECT_NEAR(static_cast<double>(decoded->info.length_ms), 1000.0, 20.0);
  EXPECT_FALSE(decoded->info.is_stream);
}

TEST_F(lavalink_node_test, the_websocket_needs_a_user_id_and_says_ready_then_stats) {
  start();
  EXPECT_THROW(session_socket(port, ""), boost::system::system_error);  // 400 before any upgrade
  session_socket s(port, "42");
  EXPECT_EQ(s.upgrade["Session-Resumed"], "false");
  auto ready = s.next();
  EXPECT_EQ(ready.at("op").as_string(), "ready");
  EXPECT_FALSE(ready.at("resumed").as_bool());
  EXPECT_EQ(ready.at("sessionId").as_string().size(), 16u);
  auto stats = s.next();
  EXPECT_EQ(stats.at("op").as_string(), "stats");
  s.next_of("stats");  // again, at the stats interval
}

TEST_F(lavalink_node_test, a_player_joins_voice_plays_and_reports_its_events) {
  start();
  const auto encoded = local_track(0.6);
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto base = "/v4/sessions/" + id + "/players/123456789012345678";
  auto joined = request(http::verb::patch, base,
                        R"({"voice":{"token":"t","endpoint":")" + gateway() + R"(","sessionId":"vs","channelId":"99"}})");
  ASSERT_EQ(joined.status, 200u) << joined.body;
  EXPECT_TRUE(joined.json().at("state").at("connected").as_bool());
  EXPECT_EQ(joined.json().at("voice").at("channelId").as_string(), "99");

  auto played = request(http::verb::patch, base, R"({"track":{"encoded":")" + encoded + R"(","userData":{"n":7}},"volume":80})");
  ASSERT_EQ(played.status, 200u) << played.body;
  EXPECT_EQ(played.json().at("track").at("encoded").as_string(), encoded);
  EXPECT_EQ(played.json().at("volume").to_number<std::int64_t>(), 80);
  // noReplace with a track playing: nothing changes.
  auto kept = request(http::verb::patch, base + "?noReplace=true", R"({"track":{"encoded":null}})");
  EXPECT_FALSE(kept.json().at("track").is_null());

  auto start_event = s.next_of("event", "TrackStartEvent");
  EXPECT_EQ(start_event.at("guildId").as_string(), "123456789012345678");
  EXPECT_EQ(start_event.at("track").at("userData").at("n").to_number<std::int64_t>(), 7);
  auto update = s.next_of("playerUpdate");
  EXPECT_TRUE(update.at("state").at("connected").as_bool());
  auto end_event = s.next_of("event", "TrackEndEvent");
  EXPECT_EQ(end_event.at("reason").as_string(), "finished");
  EXPECT_EQ(end_event.at("track").at("encoded").as_string(), encoded);

  auto players = request(http::verb::get, "/v4/sessions/" + id + "/players").json().as_array();
  ASSERT_EQ(players.size(), 1u);
  EXPECT_TRUE(players[0].at("track").is_null());
  EXPECT_EQ(request(http::verb::delete_, base).status, 204u);
  EXPECT_EQ(request(http::verb::get, base).json().at("message").as_string(), "Player not found");
  // What the emulator received: the track's frames, then five silence frames.
  std::this_thread::sleep_for(200ms);
  const auto streams = emulator->stats().at("udp").at("streams").as_array();
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_EQ(streams[0].at("silence_frames").to_number<std::int64_t>(), 5);
  EXPECT_EQ(streams[0].at("lost").to_number<std::int64_t>(), 0);
  EXPECT_EQ(streams[0].at("decode_errors").to_number<std::int64_t>(), 0);
}

// Players are per session, as in Lavalink: two bots play in the same guild through one node, each
// with its own voice connection and stream, and each session hears only of its own player.
TEST_F(lavalink_node_test, two_bots_play_in_one_guild_each_with_its_own_player) {
  start();
  const auto encoded = local_track(0.6);
  session_socket first(port, "42"), second(port, "43");
  const auto first_id = std::string(first.next().at("sessionId").as_string());
  const auto second_id = std::string(second.next().at("sessionId").as_string());
  for (const auto& id : {first_id, second_id}) {
    auto played = request(http::verb::patch, "/v4/sessions/" + id + "/players/123456789012345678",
                          R"({"voice":{"token":"t","endpoint":")" + gateway() + R"(","sessionId":"vs-)" + id +
                              R"(","channelId":"99"},"track":{"encoded":")" + encoded + R"(","userData":{"by":")" + id + R"("}}})");
    ASSERT_EQ(played.status, 200u) << played.body;
    EXPECT_TRUE(played.json().at("state").at("connected").as_bool());
  }
  for (auto* s : {&first, &second}) {
    const auto& id = s == &first ? first_id : second_id;
    auto end_event = s->next_of("event", "TrackEndEvent");
    EXPECT_EQ(end_event.at("reason").as_string(), "finished");
    EXPECT_EQ(end_event.at("track").at("userData").at("by").as_string(), id);  // its own player's event
  }
  for (const auto& id : {first_id, second_id})
    EXPECT_EQ(request(http::verb::get, "/v4/sessions/" + id + "/players").json().as_array().size(), 1u);
  EXPECT_EQ(request(http::verb::delete_, "/v4/sessions/" + first_id + "/players/123456789012345678").status, 204u);
  EXPECT_EQ(request(http::verb::get, "/v4/sessions/" + second_id + "/players").json().as_array().size(), 1u);
  std::this_thread::sleep_for(200ms);
  const auto streams = emulator->stats().at("udp").at("streams").as_array();
  ASSERT_EQ(streams.size(), 2u);  // one per bot
  for (const auto& stream : streams) {
    EXPECT_GE(stream.at("packets").to_number<std::int64_t>(), 30);
    EXPECT_EQ(stream.at("lost").to_number<std::int64_t>(), 0);
    EXPECT_EQ(stream.at("decode_errors").to_number<std::int64_t>(), 0);
  }
}

void lavalink_node_test::play_to_the_end(const std::string& encoded) {
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  auto played = request(http::verb::patch, "/v4/sessions/" + id + "/players/123456789012345678", voice_and_track(encoded));
  ASSERT_EQ(played.status, 200u) << played.body;
  s.next_of("event", "TrackStartEvent");
  EXPECT_EQ(s.next_of("event", "TrackEndEvent").at("reason").as_string(), "finished");
  std::this_thread::sleep_for(200ms);
  const auto streams = emulator->stats().at("udp").at("streams").as_array();
  ASSERT_EQ(streams.size(), 1u);
  EXPECT_GE(streams[0].at("packets").to_number<std::int64_t>(), 30);
  EXPECT_EQ(streams[0].at("decode_errors").to_number<std::int64_t>(), 0);
}

// A SoundCloud search through the node (against the loopback stand-in for SoundCloud): the
// track loads as lavaplayer describes it and plays from the stream located when it opens.
TEST_F(lavalink_node_test, a_soundcloud_search_loads_and_its_track_plays_from_its_stream) {
  test::soundcloud_fixture service;
  service.set_stream(demo_sample(0.6));
  soundcloud = resolvers::soundcloud_endpoints{service.base(), service.base()};
  start();
  const auto managers = request(http::verb::get, "/v4/info").json().at("sourceManagers").as_array();
  EXPECT_NE(std::find(managers.begin(), managers.end(), json::value("soundcloud")), managers.end());
  auto loaded = request(http::verb::get, "/v4/loadtracks?identifier=scsearch:lofi").json();
  ASSERT_EQ(loaded.at("loadType").as_string(), "search") << json::serialize(loaded);
  const auto& track = loaded.at("data").as_array().at(0);
  EXPECT_EQ(track.at("info").at("sourceName").as_string(), "soundcloud");
  EXPECT_EQ(track.at("info").at("title").as_string(), "First Light");
  const auto encoded = std::string(track.at("encoded").as_string());

  play_to_the_end(encoded);
  EXPECT_EQ(service.requests("/stream/1.mp3"), 1);
}

// A YouTube search through the node (against the loopback InnerTube stand-in), as the metadata
// resolvers send theirs: the result loads as Lavalink's youtube source describes it and plays from
// the Opus/WebM stream InnerTube offers (a real WebM file, ffmpeg's remux of the demo sample),
// whose packets pass through to the emulator.
TEST_F(lavalink_node_test, a_youtube_search_loads_and_its_track_plays_from_its_webm_stream) {
  std::filesystem::create_directories(dir);
  const auto ogg = dir / "sample.opus";
  const auto webm = dir / "sample.webm";
  {
    const auto sample = demo_sample(0.6);
    std::ofstream(ogg, std::ios::binary).write(reinterpret_cast<const char*>(sample.data()), static_cast<std::streamsize>(sample.size()));
  }
  const auto remux = "ffmpeg -hide_banner -loglevel error -nostdin -y -i " + ogg.string() + " -c:a copy -f webm " + webm.string();
  ASSERT_EQ(std::system(remux.c_str()), 0) << remux;
  std::ifstream in(webm, std::ios::binary);
  std::vector<std::uint8_t> media((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(media.size(), 100u);

  test::youtube_fixture service;
  service.set_stream(std::move(media));
  youtube = resolvers::youtube_endpoints{service.base(), service.base()};
  start();
  const auto managers = request(http::verb::get, "/v4/info").json().at("sourceManagers").as_array();
  EXPECT_NE(std::find(managers.begin(), managers.end(), json::value("youtube")), managers.end());
  auto loaded = request(http::verb::get, "/v4/loadtracks?identifier=ytsearch:%22USUM71703861%22").json();
  ASSERT_EQ(loaded.at("loadType").as_string(), "search") << json::serialize(loaded);
  const auto& track = loaded.at("data").as_array().at(0);
  EXPECT_EQ(track.at("info").at("sourceName").as_string(), "youtube");
  EXPECT_EQ(track.at("info").at("identifier").as_string(), "IsrcMatch01");
  EXPECT_EQ(track.at("info").at("uri").as_string(), "https://www.youtube.com/watch?v=IsrcMatch01");
  const auto encoded = std::string(track.at("encoded").as_string());

  play_to_the_end(encoded);
  EXPECT_EQ(service.player_requests("ANDROID_VR"), 1);  // at play time
  EXPECT_GE(service.requests("/videoplayback/IsrcMatch01.webm"), 1);
}

// A SoundCloud track offered only as HLS plays from its playlist's segments (the stand-in cuts
// the stream into four), through the node into the emulator.
TEST_F(lavalink_node_test, a_soundcloud_hls_only_track_plays_from_its_segments) {
  test::soundcloud_fixture service;
  service.set_stream(demo_sample(0.6));
  soundcloud = resolvers::soundcloud_endpoints{service.base(), service.base()};
  start();
  auto loaded = request(http::verb::get, "/v4/loadtracks?identifier=https://soundcloud.com/fixture-artist/hls-only").json();
  ASSERT_EQ(loaded.at("loadType").as_string(), "track") << json::serialize(loaded);
  play_to_the_end(std::string(loaded.at("data").at("encoded").as_string()));
  EXPECT_EQ(service.requests("/hls/5/playlist.m3u8"), 1);
  EXPECT_EQ(service.requests("/hls/5/segment-"), 4);
}

// A Deezer URL through the node (against the Deezer and SoundCloud stand-ins): it loads as the
// Deezer track LavaSrc describes, and plays from the SoundCloud track matched to it when it opens,
// the cover, live version and remixes among the candidates passed over. A track with no match
// ends in a TrackExceptionEvent saying so.
TEST_F(lavalink_node_test, a_deezer_track_loads_as_metadata_and_plays_from_its_match) {
  test::soundcloud_fixture service;
  test::deezer_fixture metadata;
  service.set_stream(demo_sample(0.6));
  soundcloud = resolvers::soundcloud_endpoints{service.base(), service.base()};
  deezer = resolvers::deezer_endpoints{metadata.base()};
  start();
  const auto managers = request(http::verb::get, "/v4/info").json().at("sourceManagers").as_array();
  EXPECT_NE(std::find(managers.begin(), managers.end(), json::value("deezer")), managers.end());
  const auto load = [&](const std::string& url) {
    auto loaded = request(http::verb::get, "/v4/loadtracks?identifier=" + url).json();
    EXPECT_EQ(loaded.at("loadType").as_string(), "track") << json::serialize(loaded);
    EXPECT_EQ(loaded.at("data").at("info").at("sourceName").as_string(), "deezer");
    return std::string(loaded.at("data").at("encoded").as_string());
  };
  const auto encoded = load("https://www.deezer.com/track/3001");
  EXPECT_EQ(service.requests("/search/tracks"), 0);  // matched when it plays, not when it loads

  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto player = "/v4/sessions/" + id + "/players/123456789012345678";
  auto played = request(http::verb::patch, player, voice_and_track(encoded));
  ASSERT_EQ(played.status, 200u) << played.body;
  s.next_of("event", "TrackStartEvent");
  EXPECT_EQ(s.next_of("event", "TrackEndEvent").at("reason").as_string(), "finished");
  EXPECT_EQ(service.requests("/search/tracks"), 1);
  EXPECT_EQ(service.requests("/media/soundcloud:tracks:14/"), 1);  // the original's stream, not a cover's
  EXPECT_EQ(service.requests("/media/soundcloud:tracks:11/"), 0);

  const auto unmatched = load("https://www.deezer.com/track/3009");
  ASSERT_EQ(request(http::verb::patch, player, R"({"track":{"encoded":")" + unmatched + R"("}})").status, 200u);
  auto failed = s.next_of("event", "TrackExceptionEvent");
  EXPECT_NE(std::string(failed.at("exception").at("message").as_string()).find("no playable match for \"Unmatched Song\""),
            std::string::npos)
      << json::serialize(failed);
}

// endTime without a track moves the end of the one playing (Lavalink's end marker): the track
// ends there as finished.
TEST_F(lavalink_node_test, end_time_alone_ends_the_playing_track_there) {
  start();
  const auto encoded = local_track(5);
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto base = "/v4/sessions/" + id + "/players/123456789012345678";
  ASSERT_EQ(request(http::verb::patch, base, R"({"track":{"encoded":")" + encoded + R"("}})").status, 200u);
  s.next_of("event", "TrackStartEvent");
  const auto started = std::chrono::steady_clock::now();
  auto moved = request(http::verb::patch, base, R"({"endTime":600})");
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.json().at("track").at("encoded").as_string(), encoded);
  auto end_event = s.next_of("event", "TrackEndEvent");
  EXPECT_EQ(end_event.at("reason").as_string(), "finished");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);  // not the five seconds of the track
}

// state.ping is the voice gateway's heartbeat round trip once connected, -1 without voice.
TEST_F(lavalink_node_test, a_players_ping_is_its_voice_heartbeats_round_trip) {
  net::voice_emulator_options quick_heartbeats;
  quick_heartbeats.heartbeat_interval = 50ms;
  start(10, quick_heartbeats);
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto players = "/v4/sessions/" + id + "/players/";
  auto silent = request(http::verb::patch, players + "1", R"({"volume":50})");
  ASSERT_EQ(silent.status, 200u) << silent.body;
  EXPECT_EQ(silent.json().at("state").at("ping").to_number<std::int64_t>(), -1);
  auto joined = request(http::verb::patch, players + "2",
                        R"({"voice":{"token":"t","endpoint":")" + gateway() + R"(","sessionId":"vs","channelId":"99"}})");
  ASSERT_EQ(joined.status, 200u) << joined.body;
  std::int64_t ping = -1;
  for (int i = 0; i < 100 && ping < 0; ++i) {
    std::this_thread::sleep_for(20ms);
    ping = request(http::verb::get, players + "2").json().at("state").at("ping").to_number<std::int64_t>();
  }
  EXPECT_GE(ping, 0);
  EXPECT_LT(ping, 1000);  // loopback
  EXPECT_EQ(request(http::verb::get, players + "1").json().at("state").at("ping").to_number<std::int64_t>(), -1);
}

// The node's voice connections speak DAVE: in an emulator that requires it, a player's audio
// reaches another member of the call end-to-end encrypted, and that member decrypts it.
TEST_F(lavalink_node_test, a_player_plays_into_a_dave_call_that_another_member_decrypts) {
  net::voice_emulator_options dave;
  dave.dave = true;
  dave.require_dave = true;
  dave.channel_ids["123456789012345678"] = 99;
  start(10, dave);
  const auto encoded = local_track(2.0);
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto base = "/v4/sessions/" + id + "/players/123456789012345678";
  ASSERT_EQ(request(http::verb::patch, base,
                    R"({"voice":{"token":"t","endpoint":")" + gateway() + R"(","sessionId":"vs","channelId":"99"}})")
                .status,
            200u);

  std::mutex heard_mutex;
  std::size_t heard_from_bot = 0;
  net::voice_connection_options listening;
  listening.on_audio = [&](const net::received_voice_frame& frame) {
    std::lock_guard lock(heard_mutex);
    if (frame.user_id == "42" && frame.opus.size() > 3) ++heard_from_bot;  // audio, not silence
  };
  // On its own thread, stopped with the test: the fixture's teardown waits for the emulator's.
  asio::io_context listener_io;
  auto listener = net::voice_connection::create(listener_io.get_executor(),
                                                {gateway(), "123456789012345678", "77", "listener", "t77", "99"},
                                                listening);
  listener->start();
  std::thread listener_thread([&] {
    auto guard = asio::make_work_guard(listener_io);
    listener_io.run();
  });
  // The group forms (the bot and the listener), and the transition executes.
  const auto settled = [&] {
    const auto stats = listener->stats();
    const auto& session = stats.at("dave");
    return session.is_object() && session.as_object().contains("epoch") &&
           session.at("members").to_number<int>() == 2;
  };
  for (int i = 0; i < 300 && !settled(); ++i) std::this_thread::sleep_for(10ms);
  ASSERT_TRUE(settled()) << json::serialize(listener->stats());
  std::this_thread::sleep_for(200ms);

  ASSERT_EQ(request(http::verb::patch, base, R"({"track":{"encoded":")" + encoded + R"("}})").status, 200u);
  s.next_of("event", "TrackEndEvent");
  std::this_thread::sleep_for(200ms);
  {
    std::lock_guard lock(heard_mutex);
    EXPECT_GE(heard_from_bot, 90u);  // 2 s of audio: 100 frames
  }
  const auto dave_stats = listener->stats().at("dave");
  EXPECT_EQ(dave_stats.at("rejected").to_number<int>(), 0);
  EXPECT_GE(dave_stats.at("decrypted").to_number<int>(), 90);
  listener->stop();
  std::this_thread::sleep_for(50ms);  // its close reaches the emulator
  listener_io.stop();
  listener_thread.join();
}

TEST_F(lavalink_node_test, bad_patches_are_refused_and_the_player_limit_is_a_503) {
  start(1);
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  const auto players = "/v4/sessions/" + id + "/players/";
  auto bad = request(http::verb::patch, players + "1", R"({"endTime":0})");
  EXPECT_EQ(bad.status, 400u);
  EXPECT_EQ(bad.json().at("message").as_string(), "End time must be greater than 0");
  EXPECT_EQ(request(http::verb::patch, players + "1", R"({"track":{"encoded":"AAAA"}})").status, 400u);
  EXPECT_EQ(request(http::verb::patch, players + "not-a-guild", "{}").status, 400u);
  EXPECT_EQ(request(http::verb::patch, players + "1", R"({"volume":50})").status, 200u);
  auto over = request(http::verb::patch, players + "2", R"({"volume":50})");
  EXPECT_EQ(over.status, 503u);
  EXPECT_EQ(over.json().at("status").to_number<std::int64_t>(), 503);
  auto refused_voice = request(http::verb::patch, players + "1",
                               R"({"voice":{"token":"t","endpoint":"ws://127.0.0.1:1","sessionId":"s","channelId":"c"}})");
  EXPECT_EQ(refused_voice.status, 500u);
  EXPECT_EQ(refused_voice.json().at("message").as_string(), "Failed to connect to voice server");
}

// A sample's value on the page, or -1 when the page has no such line.
double metric(const std::string& page, const std::string& series) {
  const auto at = page.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + series.size() + 2));
}

TEST_F(lavalink_node_test, the_metrics_page_is_served_only_when_configured_and_needs_no_password) {
  start();
  EXPECT_EQ(request(http::verb::get, "/metrics", {}, false).status, 401u) << "not configured: an API path like any";
  EXPECT_EQ(request(http::verb::get, "/metrics").status, 404u);
}

TEST_F(lavalink_node_test, the_metrics_page_counts_players_actors_and_the_resolvers_cache) {
  prometheus = true;
  start();
  session_socket s(port, "42");
  const auto id = std::string(s.next().at("sessionId").as_string());
  EXPECT_EQ(request(http::verb::patch, "/v4/sessions/" + id + "/players/1", R"({"volume":50})").status, 200u);
  const auto encoded = local_track(0.5);  // a miss, cached
  (void)local_track(0.5);                 // a hit
  (void)encoded;

  auto page = request(http::verb::get, "/metrics", {}, false);
  ASSERT_EQ(page.status, 200u) << page.body;
  EXPECT_EQ(page.headers["Content-Type"], net::lavalink::metrics_text::content_type);
  EXPECT_EQ(metric(page.body, "spence_players"), 1);
  EXPECT_EQ(metric(page.body, "spence_playing_players"), 0);
  EXPECT_EQ(metric(page.body, "spence_sessions"), 1);
  EXPECT_GT(metric(page.body, "spence_process_resident_memory_bytes"), 1e6);
  EXPECT_EQ(metric(page.body, R"(spence_actors{kind="engine.player"})"), 1) << page.body;
  EXPECT_GE(metric(page.body, R"(spence_actor_messages_processed_total{kind="engine.player"})"), 1);
  EXPECT_EQ(metric(page.body, R"(spence_actors{kind="resolvers.router"})"), 1);
  EXPECT_EQ(metric(page.body, R"(spence_resolver_cache_lookups_total{result="hit"})"), 1);
  EXPECT_EQ(metric(page.body, R"(spence_resolver_cache_lookups_total{result="miss"})"), 1);
  EXPECT_EQ(metric(page.body, "spence_resolver_cache_hit_ratio"), 0.5);
  EXPECT_EQ(metric(page.body, "spence_resolver_cache_entries"), 1);
  EXPECT_NE(page.body.find("# TYPE spence_resolver_requests_total counter\n"), std::string::npos);
  EXPECT_EQ(request(http::verb::post, "/metrics", "{}", false).status, 405u);
  // The API still wants its password.
  EXPECT_EQ(request(http::verb::get, "/v4/info", {}, false).status, 401u);
}

TEST_F(lavalink_node_test, a_resumable_session_comes_back_with_its_queued_messages) {
  start();
  std::string id;
  {
    session_socket s(port, "42");
    id = std::string(s.next().at("sessionId").as_string());
    auto patched = request(http::verb::patch, "/v4/sessions/" + id, R"({"resuming":true,"timeout":30})");
    EXPECT_EQ(patched.json().at("resuming").as_bool(), true);
    EXPECT_EQ(patched.json().at("timeout").to_number<std::int64_t>(), 30);
    s.ws.close(beast::websocket::close_code::normal);
  }
  std::this_thread::sleep_for(300ms);  // stats queue meanwhile
  // Another bot may not take it; the same bot may.
  session_socket other(port, "43", id);
  EXPECT_EQ(other.upgrade["Session-Resumed"], "false");
  session_socket again(port, "42", id);
  EXPECT_EQ(again.upgrade["Session-Resumed"], "true");
  auto ready = again.next();
  EXPECT_TRUE(ready.at("resumed").as_bool());
  EXPECT_EQ(ready.at("sessionId").as_string(), id);
  EXPECT_EQ(again.next().at("op").as_string(), "stats");  // queued while away
}

TEST_F(lavalink_node_test, the_api_is_served_on_the_unix_socket_too) {
  start();
  asio::io_context io;
  asio::local::stream_protocol::socket socket(io);
  socket.connect((dir / "node.sock").string());
  http::request<http::string_body> req{http::verb::get, "/version", 11};
  req.set(http::field::authorization, password);
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  EXPECT_EQ(res.result_int(), 200u);
  EXPECT_EQ(res.body(), net::lavalink::lavalink_api_semver);
}

}  // namespace
}  // namespace spence::app
