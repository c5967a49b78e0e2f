#pragma once
// How the node loads identifiers: the resolvers' router actor, spawned on the node's runtime with
// the node's sources and a small pool of threads for resolvers to block on; `load` asks it.
// `spence run` and the node tests wire the node through this.

#include "app/node_tracks.hpp"

#include "actors/runtime.hpp"
#include "net/lavalink/load_result.hpp"
#include "net/lavalink/metrics_text.hpp"
#include "resolvers/resolver_router.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>

#include <chrono>
#include <memory>

namespace spence::app {

class node_loader {
 public:
  static constexpr std::chrono::seconds answer_within{30};  // a resolution slower than this is an error
  static constexpr std::size_t resolver_threads = 4;         // resolvers wait on the network, not the CPU

  // Spawns the router as /node/resolvers/router. Throws std::runtime_error when it cannot.
  node_loader(actors::runtime& rt, const node_tracks& tracks, resolvers::resolver_settings settings = {});
  ~node_loader();  // joins the resolvers' threads: stop the runtime first

  // The node's load function. Any executor; never blocks it.
  boost::asio::awaitable<net::lavalink::load_result> load(std::string identifier) const;
  // The router's counters and its cache's size and hit ratio, for the node's metrics page.
  boost::asio::awaitable<void> metrics(net::lavalink::metrics_text& out) const;
  // The same, for a thread that may wait (a player opening a metadata track: the mirror's
  // providers); blocks at most answer_within. Safe to call after the loader is gone (an error),
  // and holds nothing of the runtime's: it may outlive the runtime (node_tracks keeps it, and is
  // made before the runtime, so goes after it).
  resolvers::track_mirror::loader blocking_load() const;
  actors::actor_ref<resolvers::resolver_router::protocol> router() const { return link_->router; }

 private:
  struct router_link {
    boost::asio::any_io_executor executor;  // the runtime's
    actors::actor_ref<resolvers::resolver_router::protocol> router;
  };
  boost::asio::thread_pool work_{resolver_threads};
  std::shared_ptr<const router_link> link_;  // blocking_load's functions see it weakly
};

}  // namespace spence::app
