// `spence resolve IDENTIFIER [--json] [--config FILE]`: what the node's /v4/loadtracks would
// answer, from the command line. The identifier goes through the same router actor and resolvers
// as in the node, with the sources of the node's config file (defaults without one; local files on
// either way: the user is on this machine; Deezer on without a file, as it needs no credentials).
// Prints the route and the result: one line
// each, or with --json one object {"route": {...}, "result": Lavalink's {loadType, data}}.

#include "app/commands.hpp"
#include "app/node_loader.hpp"
#include "app/node_tracks.hpp"

#include "net/lavalink/lavalink_json.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace spence::app {

namespace json = boost::json;
using kind = net::lavalink::load_result::kind;

int run_resolve(const resolve_options& options) {
  auto route = resolvers::route_identifier(options.identifier);
  json::value route_json = nullptr;
  if (route)
    route_json = json::object{{"platform", resolvers::to_string(route->where)},
                              {"kind", resolvers::to_string(route->kind)},
                              {"query", route->query}};

  auto loaded = options.config ? load_node_config(*options.config) : node_config_result(node_config{});
  if (!loaded) {
    fmt::print(stderr, "{}\n", loaded.error().message());
    return 2;
  }
  auto sources = sources_of(loaded->sources);
  sources.local = true;
  if (!options.config) sources.deezer = resolvers::deezer_endpoints{};
  actors::runtime rt({1, nullptr});
  node_tracks tracks(std::move(sources));
  net::lavalink::load_result result;
  {
    node_loader loader(rt, tracks);
    result = boost::asio::co_spawn(rt.executor(), loader.load(options.identifier), boost::asio::use_future).get();
    rt.shutdown(std::chrono::seconds(2));
  }

  if (options.json) {
    fmt::print("{}\n", json::serialize(json::object{{"route", route_json}, {"result", net::lavalink::load_result_json(result)}}));
  } else {
    if (route) fmt::print("route: {} {} \"{}\"\n", resolvers::to_string(route->where), resolvers::to_string(route->kind), route->query);
    switch (result.type) {
      case kind::empty: fmt::print("empty: nothing found\n"); break;
      case kind::error: fmt::print("error ({}): {}\n", result.severity, result.message); break;
      case kind::playlist:
        fmt::print("playlist: {} ({} tracks)\n", result.playlist_name, result.tracks.size());
        [[fallthrough]];
      case kind::track:
      case kind::search:
        for (const auto& t : result.tracks)
          fmt::print("{}: {} - {} ({} ms) {}\n", result.type == kind::track ? "track" : "result", t.info.author,
                     t.info.title, t.info.is_stream ? -1 : t.info.length_ms, t.info.uri.value_or(t.info.identifier));
        break;
    }
  }
  return result.type == kind::empty || result.type == kind::error ? 1 : 0;
}

}  // namespace spence::app
