// The node's TOML configuration: no file gives the documented defaults, the commented sample at the
// repository root is exactly those defaults, every key is read into the engine's own settings,
// every kind of mistake is refused naming the key (all of them at once), and the password never
// appears in describe() or in a problem.

#include "app/node_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

namespace spence::app {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

node_config parsed(std::string_view toml) {
  auto config = parse_node_config(toml, "test.toml");
  EXPECT_TRUE(config) << (config ? "" : config.error().message());
  return config ? *config : node_config{};
}

std::vector<config_problem> problems_of(std::string_view toml) {
  auto config = parse_node_config(toml, "test.toml");
  EXPECT_FALSE(config) << toml;
  return config ? std::vector<config_problem>{} : config.error().problems;
}

// The only problem `toml` has: its key, and the start of its reason.
void expect_refused(std::string_view toml, std::string_view key, std::string_view reason) {
  const auto problems = problems_of(toml);
  ASSERT_EQ(problems.size(), 1u) << toml;
  EXPECT_EQ(problems[0].key, key) << toml;
  EXPECT_THAT(problems[0].reason, HasSubstr(std::string(reason))) << toml;
}

TEST(node_config, NoFileMeansLoopbackPort2333AndSafeDefaults) {
  const node_config config;
  EXPECT_EQ(config.server.address, "127.0.0.1");
  EXPECT_EQ(config.server.port, 2333);
  EXPECT_EQ(config.server.password, "youshallnotpass");
  EXPECT_FALSE(config.server.unix_socket);
  EXPECT_TRUE(config.sources.http);
  EXPECT_FALSE(config.sources.local);
  EXPECT_EQ(config.limits.idle_timeout, std::chrono::minutes(5));
  EXPECT_FALSE(config.trace);
  EXPECT_FALSE(config.metrics.prometheus) << "off, as in Lavalink";
  EXPECT_EQ(config.metrics.endpoint, "/metrics");
  // An empty file is the same as none.
  EXPECT_EQ(describe(parsed("")), describe(config));
}

TEST(node_config, TheSampleAtTheRepositoryRootIsTheDefaults) {
  const auto sample = load_node_config(SPENCE_EXAMPLE_CONFIG);
  ASSERT_TRUE(sample) << sample.error().message();
  EXPECT_EQ(describe(*sample), describe(node_config{}));
}

TEST(node_config, ReadsEveryKeyIntoTheEnginesSettings) {
  const node_config config = parsed(R"(
[server]
address = "0.0.0.0"
port = 8080
password = "hunter2-but-longer"
unix_socket = "/tmp/spence.sock"

[sources]
http = false
local = true
soundcloud = false
soundcloud_web = "http://127.0.0.1:9000"
soundcloud_api = "http://127.0.0.1:9001"
youtube = false
youtube_api = "http://127.0.0.1:9002"
youtube_music_api = "http://127.0.0.1:9003"

[engine]
threads = 4
shards = 2
opus_bitrate = 96000
opus_complexity = 5
resampler = "best"

[buffers]
http_read_ahead_bytes = 65536
udp_queue_packets = 10

[limits]
max_players = 20
idle_timeout_seconds = 0
max_request_body_bytes = 4096
max_session_queue_messages = 7

[metrics]
prometheus = true
endpoint = "/node/prometheus"

[trace]
path = "node.trace"
segment_bytes = 2097152

[logging]
level = "debug"
)");
  EXPECT_EQ(config.server.address, "0.0.0.0");
  EXPECT_EQ(config.server.port, 8080);
  EXPECT_EQ(config.server.password, "hunter2-but-longer");
  EXPECT_EQ(config.server.unix_socket, std::filesystem::path("/tmp/spence.sock"));
  EXPECT_FALSE(config.sources.http);
  EXPECT_TRUE(config.sources.local);
  EXPECT_FALSE(config.sources.soundcloud);
  EXPECT_EQ(config.sources.soundcloud_endpoints.web, "http://127.0.0.1:9000");
  EXPECT_EQ(config.sources.soundcloud_endpoints.api, "http://127.0.0.1:9001");
  EXPECT_FALSE(config.sources.youtube);
  EXPECT_EQ(config.sources.youtube_endpoints.api, "http://127.0.0.1:9002");
  EXPECT_EQ(config.sources.youtube_endpoints.music_api, "http://127.0.0.1:9003");
  EXPECT_EQ(config.engine.threads, 4u);
  EXPECT_EQ(config.engine.shard_pool.shards, 2u);
  EXPECT_EQ(config.engine.player.encoder.bitrate, 96000);
  EXPECT_EQ(config.engine.player.encoder.complexity, 5);
  EXPECT_EQ(config.engine.player.resampling, engine::resampler_quality::best);
  EXPECT_EQ(config.buffers.http.read_ahead_bytes, 65536u);
  EXPECT_EQ(config.buffers.udp_queue_packets, 10u);
  EXPECT_EQ(config.limits.max_players, 20u);
  EXPECT_EQ(config.limits.idle_timeout, std::chrono::seconds(0));
  EXPECT_EQ(config.limits.max_request_body_bytes, 4096u);
  EXPECT_EQ(config.limits.max_session_queue_messages, 7u);
  EXPECT_TRUE(config.metrics.prometheus);
  EXPECT_EQ(config.metrics.endpoint, "/node/prometheus");
  ASSERT_TRUE(config.trace);
  EXPECT_EQ(config.trace->path, "node.trace");
  EXPECT_EQ(config.trace->segment_bytes, 2097152u);
  EXPECT_EQ(config.log_level, "debug");
}

TEST(node_config, AcceptsDottedKeysAndIPv6) {
  const node_config config = parsed("server.address = \"::1\"\nengine.opus_complexity = 0\n");
  EXPECT_EQ(config.server.address, "::1");
  EXPECT_EQ(config.engine.player.encoder.complexity, 0);
}

TEST(node_config, RefusesUnknownSectionsAndKeys) {
  expect_refused("[serverr]\nport = 1\n", "serverr", "unknown section");
  expect_refused("verbose = true\n", "verbose", "unknown key");
  expect_refused("[server]\nprot = 2333\n", "server.prot", "unknown key");
  expect_refused("[engine.extra]\nx = 1\n", "engine.extra", "unknown section");
  expect_refused("[limits]\nmax_players = 5\nidle_timeout = 10\n", "limits.idle_timeout", "unknown key");
}

TEST(node_config, RefusesValuesOfTheWrongType) {
  expect_refused("server = 1\n", "server", "must be a table");
  expect_refused("[[server]]\nport = 1\n", "server", "must be a table");
  expect_refused("[server]\nport = \"2333\"\n", "server.port", "must be an integer");
  expect_refused("[server]\nport = 2333.0\n", "server.port", "must be an integer");
  expect_refused("[server]\naddress = 127\n", "server.address", "must be a string");
  expect_refused("[sources]\nhttp = \"yes\"\n", "sources.http", "must be true or false");
  expect_refused("[sources]\nlocal = 1\n", "sources.local", "must be true or false");
  expect_refused("[sources]\nsoundcloud_api = \"ftp://x\"\n", "sources.soundcloud_api", "must be an http:// or https:// URL");
  expect_refused("[sources]\nyoutube_api = \"youtubei\"\n", "sources.youtube_api", "must be an http:// or https:// URL");
  expect_refused("[engine]\nresampler = 2\n", "engine.resampler", "must be a string");
  expect_refused("[trace]\npath = []\n", "trace.path", "must be a string");
  expect_refused("[logging]\nlevel = true\n", "logging.level", "must be a string");
}

TEST(node_config, RefusesNumbersOutOfRange) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"[server]\nport = 65536\n", "server.port"},
      {"[server]\nport = -1\n", "server.port"},
      {"[engine]\nthreads = -1\n", "engine.threads"},
      {"[engine]\nthreads = 1025\n", "engine.threads"},
      {"[engine]\nshards = 5000\n", "engine.shards"},
      {"[engine]\nopus_bitrate = 5999\n", "engine.opus_bitrate"},
      {"[engine]\nopus_bitrate = 510001\n", "engine.opus_bitrate"},
      {"[engine]\nopus_complexity = 11\n", "engine.opus_complexity"},
      {"[engine]\nopus_complexity = -1\n", "engine.opus_complexity"},
      {"[buffers]\nhttp_read_ahead_bytes = 1024\n", "buffers.http_read_ahead_bytes"},
      {"[buffers]\nhttp_read_ahead_bytes = 67108865\n", "buffers.http_read_ahead_bytes"},
      {"[buffers]\nudp_queue_packets = 0\n", "buffers.udp_queue_packets"},
      {"[buffers]\nudp_queue_packets = 51\n", "buffers.udp_queue_packets"},
      {"[limits]\nmax_players = 0\n", "limits.max_players"},
      {"[limits]\nidle_timeout_seconds = -5\n", "limits.idle_timeout_seconds"},
      {"[limits]\nidle_timeout_seconds = 604801\n", "limits.idle_timeout_seconds"},
      {"[limits]\nmax_request_body_bytes = 10\n", "limits.max_request_body_bytes"},
      {"[limits]\nmax_session_queue_messages = 0\n", "limits.max_session_queue_messages"},
      {"[trace]\npath = \"t\"\nsegment_bytes = 1000\n", "trace.segment_bytes"},
  };
  for (const auto& [toml, key] : cases) expect_refused(toml, key, "must be between");
  // The reason gives the range and the value.
  EXPECT_EQ(problems_of("[engine]\nopus_complexity = 11\n")[0].reason, "must be between 0 and 10 (got 11) (line 2)");
}

TEST(node_config, RefusesUnknownChoicesNamingTheChoices) {
  expect_refused("[engine]\nresampler = \"sinc\"\n", "engine.resampler",
                 "must be one of best, medium, fastest, linear (got \"sinc\")");
  expect_refused("[logging]\nlevel = \"verbose\"\n", "logging.level",
                 "must be one of trace, debug, info, warn, error, critical, off");
}

TEST(node_config, RefusesBadStrings) {
  expect_refused("[server]\naddress = \"localhost\"\n", "server.address", "must be an IP address");
  expect_refused("[server]\naddress = \"300.1.1.1\"\n", "server.address", "must be an IP address");
  expect_refused("[server]\naddress = \"\"\n", "server.address", "must not be empty");
  expect_refused("[server]\npassword = \"\"\n", "server.password", "must not be empty");
  expect_refused("[server]\npassword = \"" + std::string(1025, 'p') + "\"\n", "server.password", "at most 1024 bytes");
  expect_refused("[server]\nunix_socket = \"/" + std::string(107, 's') + "\"\n", "server.unix_socket", "at most 107 bytes");
  expect_refused("[trace]\nsegment_bytes = 2097152\n", "trace.path", "must be given");
  expect_refused("[metrics]\nendpoint = \"metrics\"\n", "metrics.endpoint", "must be a path");
  expect_refused("[metrics]\nendpoint = \"/me trics\"\n", "metrics.endpoint", "must be a path");
  expect_refused("[metrics]\nendpoint = \"/v4/stats\"\n", "metrics.endpoint", "Lavalink API's paths");
  expect_refused("[metrics]\nendpoint = \"/version\"\n", "metrics.endpoint", "Lavalink API's paths");
  expect_refused("[metrics]\nprometheus = 1\n", "metrics.prometheus", "must be true or false");
}

TEST(node_config, RefusesTheDefaultPasswordBeyondLoopback) {
  expect_refused("[server]\naddress = \"0.0.0.0\"\n", "server.password", "password of your own");
  expect_refused("[server]\naddress = \"192.168.1.2\"\npassword = \"youshallnotpass\"\n", "server.password",
                 "password of your own");
  EXPECT_EQ(parsed("[server]\naddress = \"::1\"\n").server.password, "youshallnotpass");
  EXPECT_EQ(parsed("[server]\naddress = \"127.0.0.2\"\n").server.address, "127.0.0.2");
}

TEST(node_config, ReportsEveryProblemAtOnceWithItsLine) {
  const auto problems = problems_of("[server]\nport = 0.5\nbogus = 1\n\n[engine]\nopus_complexity = 99\n");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], (config_problem{"server.port", "must be an integer (line 2)"}));
  EXPECT_EQ(problems[1], (config_problem{"server.bogus", "unknown key (line 3)"}));
  EXPECT_EQ(problems[2], (config_problem{"engine.opus_complexity", "must be between 0 and 10 (got 99) (line 6)"}));
  const auto error = parse_node_config("[server]\nport = 0.5\nbogus = 1\n", "spence.toml").error();
  EXPECT_EQ(error.message(), "spence.toml: server.port: must be an integer (line 2)\nspence.toml: server.bogus: unknown key (line 3)");
}

TEST(node_config, RefusesTextThatIsNotToml) {
  const auto problems = problems_of("[server\nport = 1\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0].key, "");
  EXPECT_THAT(problems[0].reason, HasSubstr("(line 1, column"));
  expect_refused("[server]\nport = 1\nport = 2\n", "", "line 3");  // a key defined twice
  expect_refused("a = \"\xFF\"\n", "", "line 1");                    // not UTF-8
}

TEST(node_config, LoadsAFileAndNamesOneItCannotRead) {
  const auto dir = std::filesystem::temp_directory_path() / ("spence-config-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "spence.toml";
  std::ofstream(file) << "[server]\nport = 4000\n";
  const auto loaded = load_node_config(file);
  ASSERT_TRUE(loaded) << loaded.error().message();
  EXPECT_EQ(loaded->server.port, 4000);

  const auto missing = load_node_config(dir / "missing.toml");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().message(), (dir / "missing.toml").string() + ": cannot be opened");
  const auto directory = load_node_config(dir);
  ASSERT_FALSE(directory);
  EXPECT_EQ(directory.error().message(), dir.string() + ": is a directory");
  std::filesystem::remove_all(dir);
}

TEST(node_config, NeverShowsThePassword) {
  const std::string password = "s3cr3t-Pa55";
  const node_config config =
      parsed("[server]\naddress = \"10.0.0.1\"\npassword = \"" + password + "\"\n[trace]\npath = \"a \\\"b\\\"\"\n");
  const std::string text = describe(config);
  EXPECT_THAT(text, Not(HasSubstr(password)));
  EXPECT_THAT(text, HasSubstr("password = \"<redacted>\""));
  // Nor does any problem, whatever is wrong around it.
  const auto error = parse_node_config("[server]\naddress = \"10.0.0.1\"\npassword = \"" + password +
                                           "\"\nport = \"" + password + "x\"\nunknown = \"" + password + "y\"\n",
                                       "t.toml")
                         .error();
  EXPECT_THAT(error.message(), Not(HasSubstr(password)));
}

TEST(node_config, DescribeReadsBackAsTheSameConfiguration) {
  const node_config config = parsed(
      "[server]\naddress = \"10.1.2.3\"\npassword = \"pw\"\nunix_socket = \"/run/s \\\"q\\\".sock\"\n"
      "[engine]\nresampler = \"linear\"\nopus_bitrate = 64000\n[trace]\npath = \"tr\\\\ace\\b\\t\\u007F\"\n"
      "[logging]\nlevel = \"off\"\n");
  const std::string text = describe(config);
  const node_config again = parsed(text);
  EXPECT_EQ(describe(again), text);
  EXPECT_EQ(again.server.unix_socket, std::filesystem::path("/run/s \"q\".sock"));
  EXPECT_EQ(again.trace->path, "tr\\ace\b\t\x7F");  // control characters come back escaped
  EXPECT_EQ(again.server.password, "<redacted>");
}

TEST(node_config, TheMetadataSourcesAreOffByDefaultAndTheirSecretsNeverShow) {
  const auto defaults = parsed("");
  EXPECT_FALSE(defaults.sources.deezer);
  EXPECT_FALSE(defaults.sources.spotify);
  EXPECT_FALSE(defaults.sources.apple_music);
  EXPECT_EQ(defaults.sources.mirror_providers, (std::vector<std::string>{"ytsearch:\"%ISRC%\"", "ytsearch:%QUERY%"}));
  const std::string secret = "sp0tify-S3cret", token = "eyJhbGciOiJFUzI1NiJ9.apple-token";
  const node_config config = parsed("[sources]\ndeezer = true\ndeezer_api = \"http://127.0.0.1:1\"\nspotify = true\n"
                                    "spotify_client_id = \"id-1\"\nspotify_client_secret = \"" + secret + "\"\n"
                                    "spotify_market = \"DE\"\napple_music = true\napple_music_token = \"" + token + "\"\n"
                                    "apple_music_country = \"gb\"\nmirror_providers = [\"scsearch:%QUERY%\"]\n");
  EXPECT_TRUE(config.sources.deezer);
  EXPECT_EQ(config.sources.deezer_endpoints.api, "http://127.0.0.1:1");
  EXPECT_EQ(config.sources.spotify_settings.client_secret, secret);
  EXPECT_EQ(config.sources.spotify_settings.market, "DE");
  EXPECT_EQ(config.sources.apple_music_settings.token, token);
  EXPECT_EQ(config.sources.apple_music_settings.country, "gb");
  EXPECT_EQ(config.sources.mirror_providers, std::vector<std::string>{"scsearch:%QUERY%"});
  const auto text = describe(config);
  EXPECT_THAT(text, Not(HasSubstr(secret)));
  EXPECT_THAT(text, Not(HasSubstr(token)));
  EXPECT_THAT(text, HasSubstr("spotify_client_secret = \"<redacted>\""));
  EXPECT_THAT(text, HasSubstr("apple_music_token = \"<redacted>\""));
  EXPECT_EQ(describe(parsed(text)), text);
}

TEST(node_config, MetadataSourceSettingsAreChecked) {
  const auto error = parse_node_config("[sources]\nspotify_market = \"USA\"\napple_music_country = \"\"\n"
                                       "mirror_providers = [\"spsearch:%QUERY%\"]\nspotify_api = \"ftp://x\"\n",
                                       "t.toml")
                         .error();
  ASSERT_EQ(error.problems.size(), 4u) << error.message();
  EXPECT_EQ(error.problems[0].key, "sources.spotify_market");
  EXPECT_EQ(error.problems[1].key, "sources.spotify_api");
  EXPECT_EQ(error.problems[2].key, "sources.apple_music_country");
  EXPECT_EQ(error.problems[3].key, "sources.mirror_providers");
  EXPECT_THAT(error.problems[3].reason, HasSubstr("spsearch: searches a metadata platform"));
  EXPECT_FALSE(parse_node_config("[sources]\nmirror_providers = []\n", "t.toml"));
}

}  // namespace
}  // namespace spence::app
