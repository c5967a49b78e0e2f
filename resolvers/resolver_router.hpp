#pragma once
// The router: the actor every /v4/loadtracks and `spence resolve` asks. It routes the identifier
// (identifier_route), answers from the cache when it can, and otherwise hands the route to its
// platform's resolver on the work executor; the result comes back to it as a message (so a trace
// records it and replay needs no network), is cached, and answers every request that asked for
// the same identifier meanwhile: identical concurrent lookups share one resolution.
//
// Cached: tracks and searches for `metadata_ttl` (a day), empty results and errors for
// `failure_ttl` (half a minute: a brief negative cache), both in one ttl_cache bounded in entries
// and bytes. At most `max_in_flight` different identifiers resolve at once; past that a request is
// answered with an error at once rather than queued without bound. A platform with no resolver
// configured gives Lavalink's `empty`, as a Lavalink without that source manager does.

#include "actors/actor.hpp"
#include "actors/actor_registry.hpp"
#include "actors/reply.hpp"
#include "net/lavalink/load_result.hpp"
#include "resolvers/platform_resolver.hpp"
#include "resolvers/ttl_cache.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/describe/class.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace spence::resolvers {

struct resolver_settings {
  ttl_cache_limits cache;
  std::chrono::seconds metadata_ttl{24 * 3600};
  std::chrono::seconds failure_ttl{30};
  std::size_t max_in_flight = 64;
};

// What the router needs from the process (actors::service_registry).
struct resolver_services {
  boost::asio::any_io_executor work;  // where resolvers run: they block
  std::map<platform, std::shared_ptr<platform_resolver>> platforms;
  resolver_settings settings;
};

struct resolve_identifier {
  std::string identifier;
  actors::reply_to<net::lavalink::load_result> reply;
};
BOOST_DESCRIBE_STRUCT(resolve_identifier, (), (identifier, reply))

// From the work executor: a platform's resolver finished with `identifier`.
struct identifier_resolved {
  std::string identifier;
  net::lavalink::load_result result;
};
BOOST_DESCRIBE_STRUCT(identifier_resolved, (), (identifier, result))

struct resolver_stats {
  std::uint64_t requests = 0;
  std::uint64_t refused = 0;      // identifiers that do not route, and requests past max_in_flight
  std::uint64_t resolutions = 0;  // handed to a platform's resolver
  std::uint64_t shared = 0;       // requests answered by a resolution already under way
  std::uint64_t cache_hits = 0;
  std::uint64_t cache_misses = 0;
  std::size_t cache_entries = 0;
  std::size_t cache_bytes = 0;
  std::size_t in_flight = 0;
};
BOOST_DESCRIBE_STRUCT(resolver_stats, (), (requests, refused, resolutions, shared, cache_hits, cache_misses,
                                           cache_entries, cache_bytes, in_flight))

struct get_resolver_stats {
  actors::reply_to<resolver_stats> reply;
};
BOOST_DESCRIBE_STRUCT(get_resolver_stats, (), (reply))

class resolver_router {
 public:
  static constexpr std::string_view kind = "resolvers.router";
  using protocol = std::variant<resolve_identifier, identifier_resolved, get_resolver_stats>;
  struct config {
    BOOST_DESCRIBE_CLASS(config, (), (), (), ())
  };

  // Throws std::invalid_argument without resolver_services when live.
  resolver_router(const config& c, actors::context<protocol>& ctx);

  void handle(const resolve_identifier& m, actors::context<protocol>& ctx);
  void handle(const identifier_resolved& m, actors::context<protocol>& ctx);
  void handle(const get_resolver_stats& m, actors::context<protocol>& ctx);

 private:
  void start_resolving(const identifier_route& route, const std::string& identifier, actors::context<protocol>& ctx);

  std::shared_ptr<resolver_services> services_;
  resolver_settings settings_;
  bool replaying_;
  ttl_cache<net::lavalink::load_result> cache_;
  std::map<std::string, std::vector<actors::reply_to<net::lavalink::load_result>>> waiting_;  // by identifier
  resolver_stats stats_;
};

// A load_result of kind error, as Lavalink words its failures.
net::lavalink::load_result load_error(std::string message, std::string severity = "common", std::string cause = {});
// The bytes a result holds, roughly: what the cache counts it as.
std::size_t weight_of(const net::lavalink::load_result& r);

void register_resolver_kind(actors::actor_registry& registry);

}  // namespace spence::resolvers
