// The node's Prometheus page (lavalink_node_options::metrics_endpoint): what Lavalink's stats
// carry, and what only spence has: every actor kind's mailboxes, messages, drops, restarts and
// handler times, and whatever the application adds (the resolvers' cache).

#include "net/lavalink/lavalink_node.hpp"
#include "net/lavalink/lavalink_node_state.hpp"
#include "net/lavalink/metrics_text.hpp"

#include <algorithm>
#include <map>

namespace spence::net::lavalink {
namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// The actors of one kind, summed (the largest for high-water marks and handler times): one
// series per kind, not per actor, so a node with thousands of guilds keeps a small page.
struct kind_totals {
  std::uint64_t actors = 0, depth = 0, high_water = 0, processed = 0, dropped = 0, restarts = 0;
  std::uint64_t handler_p99_ns = 0, handler_max_ns = 0;
};

std::map<std::string, kind_totals> totals_by_kind(const std::vector<actors::actor_metrics>& all) {
  std::map<std::string, kind_totals> kinds;
  for (const auto& m : all) {
    auto& k = kinds[m.kind];
    ++k.actors;
    k.depth += m.mailbox_depth;
    k.high_water = std::max(k.high_water, m.mailbox_high_water);
    k.processed += m.processed;
    k.dropped += m.dropped;
    k.restarts += m.restarts;
    k.handler_p99_ns = std::max(k.handler_p99_ns, m.handler_p99_ns);
    k.handler_max_ns = std::max(k.handler_max_ns, m.handler_max_ns);
  }
  return kinds;
}

void actor_families(metrics_text& out, const std::map<std::string, kind_totals>& kinds) {
  struct family {
    const char* name;
    const char* type;
    const char* help;
    double (*value)(const kind_totals&);
  };
  static constexpr family families[] = {
      {"spence_actors", "gauge", "Live actors", [](const kind_totals& k) { return double(k.actors); }},
      {"spence_actor_mailbox_messages", "gauge", "Messages waiting in the mailboxes",
       [](const kind_totals& k) { return double(k.depth); }},
      {"spence_actor_mailbox_high_water_messages", "gauge", "The fullest any one mailbox has been",
       [](const kind_totals& k) { return double(k.high_water); }},
      {"spence_actor_messages_processed_total", "counter", "Messages handled",
       [](const kind_totals& k) { return double(k.processed); }},
      {"spence_actor_messages_dropped_total", "counter", "Messages dropped by realtime mailboxes (oldest first)",
       [](const kind_totals& k) { return double(k.dropped); }},
      {"spence_actor_restarts_total", "counter", "Restarts by supervision",
       [](const kind_totals& k) { return double(k.restarts); }},
      {"spence_actor_handler_p99_seconds", "gauge", "The slowest actor's 99th percentile handler time",
       [](const kind_totals& k) { return double(k.handler_p99_ns) / 1e9; }},
      {"spence_actor_handler_max_seconds", "gauge", "The longest handler time",
       [](const kind_totals& k) { return double(k.handler_max_ns) / 1e9; }},
  };
  for (const auto& f : families) {
    out.family(f.name, f.type, f.help);
    for (const auto& [kind, totals] : kinds) out.sample(f.value(totals), {{"kind", kind}});
  }
}

}  // namespace

asio::awaitable<http_response> lavalink_node::metrics_page() {
  metrics_text out;
  out.family("spence_players", "gauge", "Players (one per session and guild)");
  out.sample(double(players_.size()));
  out.family("spence_playing_players", "gauge", "Players with a track, not paused");
  out.sample(double(playing_players()));
  out.family("spence_sessions", "gauge", "Client sessions (WebSocket connections, and resumable ones waiting)");
  out.sample(double(sessions_.size()));
  out.family("spence_session_messages_dropped_total", "counter",
             "Messages dropped past a session's queue bound (a client that cannot keep up)");
  out.sample(double(snapshot().dropped_messages));
  out.family("spence_uptime_seconds", "gauge", "Since the node started");
  out.sample(std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count());
  out.family("spence_process_resident_memory_bytes", "gauge", "The process's resident set");
  out.sample(double(read_memory_usage().used));
  actor_families(out, totals_by_kind(runtime_.metrics()));
  if (options_.extra_metrics) co_await options_.extra_metrics(out);
  co_return make_http_response(http::status::ok, std::string(metrics_text::content_type), out.text());
}

}  // namespace spence::net::lavalink
