#include "app/node_loader.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>

#include <stdexcept>

namespace spence::app {

namespace {

using router_ref = actors::actor_ref<resolvers::resolver_router::protocol>;

boost::asio::awaitable<net::lavalink::load_result> ask_router(router_ref router, std::string identifier) {
  auto answer = co_await actors::ask<net::lavalink::load_result>(
      router, [&](actors::reply_to<net::lavalink::load_result> to) { return resolvers::resolve_identifier{identifier, to}; },
      node_loader::answer_within);
  if (answer) co_return std::move(*answer);
  co_return resolvers::load_error("spence could not load the identifier: " + answer.error().message(), "fault",
                                  answer.error().message());
}

}  // namespace

node_loader::node_loader(actors::runtime& rt, const node_tracks& tracks, resolvers::resolver_settings settings) {
  auto services = std::make_shared<resolvers::resolver_services>();
  services->work = work_.get_executor();
  services->platforms = tracks.platform_resolvers();
  services->settings = settings;
  rt.services().provide(services);
  auto router = rt.spawn<resolvers::resolver_router>("/node/resolvers/router");
  if (!router) throw std::runtime_error("the resolvers' router did not start: " + router.error().message());
  link_ = std::make_shared<const router_link>(router_link{rt.executor(), *router});
}

node_loader::~node_loader() { work_.join(); }

boost::asio::awaitable<net::lavalink::load_result> node_loader::load(std::string identifier) const {
  return ask_router(link_->router, std::move(identifier));
}

resolvers::track_mirror::loader node_loader::blocking_load() const {
  return [weak = std::weak_ptr<const router_link>(link_)](const std::string& identifier) {
    const auto link = weak.lock();
    if (!link) return resolvers::load_error("spence's resolvers have stopped", "fault", "the node is shutting down");
    auto answer = boost::asio::co_spawn(link->executor, ask_router(link->router, identifier), boost::asio::use_future);
    // The ask's own timeout answers first; this bound is for a runtime that stopped meanwhile.
    if (answer.wait_for(answer_within + std::chrono::seconds(5)) != std::future_status::ready)
      return resolvers::load_error("spence's resolvers did not answer", "fault", "no answer from the router");
    return answer.get();
  };
}

boost::asio::awaitable<void> node_loader::metrics(net::lavalink::metrics_text& out) const {
  auto stats = co_await actors::ask<resolvers::resolver_stats>(
      link_->router, [](actors::reply_to<resolvers::resolver_stats> to) { return resolvers::get_resolver_stats{to}; },
      std::chrono::seconds(2));
  if (!stats) co_return;  // a busy router leaves its families out rather than holding the page
  const auto& s = *stats;
  auto single = [&out](std::string_view name, std::string_view type, std::string_view help, double value) {
    out.family(name, type, help);
    out.sample(value);
  };
  single("spence_resolver_requests_total", "counter", "Identifiers asked of the resolvers", double(s.requests));
  single("spence_resolver_refused_total", "counter", "Identifiers refused (no route, or too many at once)",
         double(s.refused));
  single("spence_resolver_resolutions_total", "counter", "Identifiers handed to a platform's resolver",
         double(s.resolutions));
  single("spence_resolver_shared_total", "counter", "Requests answered by a resolution already under way",
         double(s.shared));
  out.family("spence_resolver_cache_lookups_total", "counter", "Cache lookups, by result");
  out.sample(double(s.cache_hits), {{"result", "hit"}});
  out.sample(double(s.cache_misses), {{"result", "miss"}});
  const auto lookups = s.cache_hits + s.cache_misses;
  single("spence_resolver_cache_hit_ratio", "gauge", "Cache hits over lookups since the start (0 before any)",
         lookups == 0 ? 0.0 : double(s.cache_hits) / double(lookups));
  single("spence_resolver_cache_entries", "gauge", "Results in the cache", double(s.cache_entries));
  single("spence_resolver_cache_bytes", "gauge", "The cached results' weight, by the cache's count",
         double(s.cache_bytes));
  single("spence_resolver_in_flight", "gauge", "Resolutions under way", double(s.in_flight));
}

}  // namespace spence::app
