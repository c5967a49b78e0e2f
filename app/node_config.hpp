#pragma once
// What `spence run` (the Lavalink v4 node) is configured with, read from one TOML file
// (docs/configuration.md documents every key; spence.example.toml at the repository root is a
// commented sample). Without a file the node listens on 127.0.0.1:2333 with Lavalink's default
// password and the defaults below.
//
// Reading is strict, because a typo in a config file should stop the node at startup rather than
// be silently ignored: an unknown section or key, a value of the wrong type, a number out of its
// range or an unknown choice is a problem naming the key's dotted path ("engine.opus_bitrate")
// and the reason; every problem in the file is reported at once. Where a setting is one of the
// engine's own (the Opus encoder, the tick shards, the HTTP source, the trace writer), the config
// holds the engine's settings struct, so the node hands it over unchanged.
//
// The password, Spotify's client secret and Apple Music's token never appear in what this file
// produces: describe() writes "<redacted>" in their place and no problem quotes them.

#include "actors/trace_writer.hpp"
#include "engine/player/packet_queue.hpp"
#include "engine/player/player_engine.hpp"
#include "engine/player/shard_pool.hpp"
#include "engine/resampler.hpp"
#include "resolvers/apple_music_resolver.hpp"
#include "resolvers/deezer_resolver.hpp"
#include "resolvers/soundcloud_resolver.hpp"
#include "resolvers/youtube_resolver.hpp"
#include "resolvers/spotify_resolver.hpp"
#include "resolvers/track_mirror.hpp"
#include "net/http/http_options.hpp"

#include <boost/system/result.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spence::app {

// Lavalink's default, which every client library defaults to as well.
inline constexpr std::string_view default_node_password = "youshallnotpass";

struct node_config {
  struct server_settings {
    std::string address = "127.0.0.1";  // an IP address; a non-loopback one needs a password of its own
    std::uint16_t port = 2333;          // 0: any free port
    std::string password{default_node_password};
    std::optional<std::filesystem::path> unix_socket;  // also serve the API there (a bot on the same host)
  };
  struct source_settings {
    bool http = true;    // http(s) URLs
    bool local = false;  // files on this machine: off by default, as in Lavalink
    bool soundcloud = true;  // on by default, as in Lavalink
    resolvers::soundcloud_endpoints soundcloud_endpoints;  // soundcloud_web, soundcloud_api
    bool youtube = true;  // on by default, as in Lavalink
    resolvers::youtube_endpoints youtube_endpoints;  // youtube_api, youtube_music_api
    // The metadata platforms, played from a match on the mirror providers (LavaSrc's sources).
    bool deezer = false;       // off by default, as in LavaSrc
    resolvers::deezer_endpoints deezer_endpoints;  // deezer_api
    bool spotify = false;      // needs credentials: off by default, as in LavaSrc
    resolvers::spotify_settings spotify_settings;  // spotify_client_id, spotify_client_secret, spotify_market, spotify_api, spotify_accounts
    bool apple_music = false;  // needs a token: off by default, as in LavaSrc
    resolvers::apple_music_settings apple_music_settings;  // apple_music_token, apple_music_country, apple_music_api
    std::vector<std::string> mirror_providers = resolvers::mirror_settings{}.providers;
  };
  struct engine_settings {
    unsigned threads = 0;                    // the actor runtime's pool; 0: one per core
    engine::shard_pool_options shard_pool;   // shard_pool.shards: tick shards, 0: one per thread
    engine::player_settings player;          // player.encoder: Opus bitrate and complexity; player.resampling
  };
  struct buffer_settings {
    net::http_options http;  // http.read_ahead_bytes: compressed audio fetched ahead per track
    std::size_t udp_queue_packets = engine::packet_queue::max_capacity;  // per guild, when the socket is busy
  };
  struct limit_settings {
    std::size_t max_players = 1000;                  // past it, creating a player is a 503
    std::chrono::seconds idle_timeout{300};          // players without a track for this long go; 0: never
    std::size_t max_request_body_bytes = 1 << 20;
    std::size_t max_session_queue_messages = 1000;   // queued for a disconnected, resuming session
  };

  struct metrics_settings {
    bool prometheus = false;             // off by default, as in Lavalink
    std::string endpoint = "/metrics";   // served without authorization, as Lavalink's
  };

  server_settings server;
  source_settings sources;
  engine_settings engine;
  buffer_settings buffers;
  limit_settings limits;
  metrics_settings metrics;
  std::optional<actors::trace_options> trace;  // absent: no trace recorded
  std::string log_level = "info";              // spdlog's names: trace, debug, info, warn, error, critical, off
};

struct config_problem {
  std::string key;     // dotted path, "limits.max_players"; empty for the file as a whole
  std::string reason;  // "must be between 1 and 1000000"
  friend bool operator==(const config_problem&, const config_problem&) = default;
};

struct config_error {
  std::string source;  // the file, or what the caller named the text
  std::vector<config_problem> problems;

  // One line per problem: "<source>: <key>: <reason>".
  std::string message() const;
};

// What boost::system::result<T, config_error>::value() throws: std::invalid_argument with the message.
[[noreturn]] void throw_exception_from_error(const config_error& e, const boost::source_location& where);

using node_config_result = boost::system::result<node_config, config_error>;

// `toml` is the file's text; `source` names it in problems.
node_config_result parse_node_config(std::string_view toml, std::string source);
// A file that cannot be read is a problem too.
node_config_result load_node_config(const std::filesystem::path& file);

// The whole configuration as TOML (every key, defaults included), the password redacted: what the
// node logs at startup. Parsing it gives the same configuration, but for the password.
std::string describe(const node_config& config);

}  // namespace spence::app
