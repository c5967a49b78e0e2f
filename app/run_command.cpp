// `spence run`: the Lavalink v4 node. Reads the configuration (or starts with the defaults),
// starts the guilds' runtime, the node and its HTTP server (TCP, and a Unix domain socket when
// configured), prints where it listens as one JSON line on stdout, and serves until SIGINT or
// SIGTERM. Then it shuts down gracefully: no new connections, every player stopped (its voice
// sink sends the closing silence frames), every session told (its WebSocket closes with 1001),
// the actors drained and the trace flushed.

#include "app/commands.hpp"
#include "app/node_config.hpp"
#include "app/node_loader.hpp"
#include "app/node_tracks.hpp"
#include "app/voice_guilds.hpp"

#include "actors/trace_writer.hpp"
#include "engine/player/media_log.hpp"
#include "net/http/http_server.hpp"
#include "net/lavalink/lavalink_node.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <thread>

namespace spence::app {

namespace asio = boost::asio;
namespace json = boost::json;

int run_node(const run_options& options) {
  auto loaded = options.config ? load_node_config(*options.config) : node_config_result(node_config{});
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error().message());
    return 2;
  }
  const auto config = std::move(*loaded);
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  spdlog::info("spence run: configuration\n{}", describe(config));

  std::unique_ptr<actors::trace_writer> trace;
  if (config.trace) {
    auto writer = actors::trace_writer::open(*config.trace);
    if (!writer) {
      fmt::print(stderr, "spence run: cannot write the trace {}: {}\n", config.trace->path.string(),
                 writer.error().message());
      return 2;
    }
    trace = std::move(*writer);
  }

  auto tracks = std::make_shared<node_tracks>(sources_of(config.sources), config.buffers.http);
  voice_guilds_options setup;
  setup.threads = config.engine.threads;
  setup.shard_pool = config.engine.shard_pool;
  setup.udp_queue_packets = config.buffers.udp_queue_packets;
  setup.trace = trace.get();
  if (config.trace) setup.media_logs = engine::media_logs_beside(config.trace->path);
  setup.open = [tracks](const std::string& encoded) { return tracks->open(encoded); };
  voice_guilds guilds(std::move(setup));

  const node_loader loader(guilds.runtime(), *tracks);
  tracks->mirror_through(loader.blocking_load());  // metadata tracks play from matches found through the router
  net::lavalink::lavalink_node_options node_options;
  node_options.password = config.server.password;
  node_options.source_managers = tracks->source_managers();
  node_options.max_players = config.limits.max_players;
  node_options.idle_timeout = config.limits.idle_timeout;
  node_options.max_session_queue_messages = config.limits.max_session_queue_messages;
  node_options.player_settings = config.engine.player;
  node_options.load = [&loader](const std::string& identifier) { return loader.load(identifier); };
  if (config.metrics.prometheus) {
    node_options.metrics_endpoint = config.metrics.endpoint;
    node_options.extra_metrics = [&loader](net::lavalink::metrics_text& out) { return loader.metrics(out); };
  }
  const auto strand = asio::make_strand(guilds.runtime().executor());
  auto node = std::make_shared<net::lavalink::lavalink_node>(strand, guilds.runtime(), std::move(node_options));
  node->start();

  net::http_server_options server_options;
  server_options.max_body_bytes = config.limits.max_request_body_bytes;
  auto server = std::make_shared<net::http_server>(strand, node, server_options);
  json::object listening;
  try {
    const auto endpoint = server->listen(
        asio::ip::tcp::endpoint(asio::ip::make_address(config.server.address), config.server.port));
    listening["address"] = endpoint.address().to_string();
    listening["port"] = endpoint.port();
    if (config.server.unix_socket) {
      server->listen(*config.server.unix_socket);
      listening["unix_socket"] = config.server.unix_socket->string();
    }
  } catch (const boost::system::system_error& e) {
    fmt::print(stderr, "spence run: cannot listen: {}\n", e.what());
    return 2;
  }
  server->start();
  std::cout << json::serialize(json::object{{"listening", listening}}) << std::endl;
  spdlog::info("spence run: serving the Lavalink v4 API on {}:{}", config.server.address,
               listening["port"].to_number<int>());

  asio::io_context signals_io;
  asio::signal_set signals(signals_io, SIGINT, SIGTERM);
  signals.async_wait([](const boost::system::error_code&, int signal) {
    spdlog::info("spence run: signal {}, shutting down", signal);
  });
  signals_io.run();

  server->stop();
  asio::co_spawn(strand, node->shut_down(), asio::use_future).get();
  // The players' closing silence frames leave over the next 100 ms.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  guilds.shutdown();
  spdlog::info("spence run: stopped");
  return 0;
}

}  // namespace spence::app
