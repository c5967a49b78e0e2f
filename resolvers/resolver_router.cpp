#include "resolvers/resolver_router.hpp"

#include <boost/asio/post.hpp>

#include <spdlog/spdlog.h>

#include <stdexcept>

namespace spence::resolvers {

namespace lavalink = net::lavalink;

lavalink::load_result load_error(std::string message, std::string severity, std::string cause) {
  lavalink::load_result r;
  r.type = lavalink::load_result::kind::error;
  r.message = std::move(message);
  r.severity = std::move(severity);
  r.cause = std::move(cause);
  return r;
}

std::size_t weight_of(const lavalink::load_result& r) {
  std::size_t bytes = sizeof r + r.message.size() + r.cause.size();
  for (const auto& t : r.tracks) {
    const auto& i = t.info;
    bytes += sizeof t + i.identifier.size() + i.author.size() + i.title.size() + i.source_name.size() +
             i.uri.value_or("").size() + i.artwork_url.value_or("").size() + i.isrc.value_or("").size() +
             t.probe_info.value_or("").size() + t.source_data.size();
  }
  return bytes;
}

resolver_router::resolver_router(const config&, actors::context<protocol>& ctx)
    : services_(ctx.owner().services().find<resolver_services>()),
      settings_(services_ ? services_->settings : resolver_settings{}),
      replaying_(ctx.owner().replaying()),
      cache_(settings_.cache) {
  if (!replaying_ && !services_) throw std::invalid_argument("a resolver router needs resolver_services");
}

void resolver_router::handle(const resolve_identifier& m, actors::context<protocol>& ctx) {
  ++stats_.requests;
  auto route = route_identifier(m.identifier);
  if (!route) {
    ++stats_.refused;
    m.reply.send(load_error(route.error()));
    return;
  }
  if (auto cached = cache_.get(m.identifier, ctx.now())) {
    m.reply.send(std::move(*cached));
    return;
  }
  if (auto waiting = waiting_.find(m.identifier); waiting != waiting_.end()) {
    ++stats_.shared;
    waiting->second.push_back(m.reply);
    return;
  }
  if (waiting_.size() >= settings_.max_in_flight) {
    ++stats_.refused;
    m.reply.send(load_error("spence is resolving " + std::to_string(waiting_.size()) + " identifiers already; try again",
                            "common", "too many resolutions in flight"));
    return;
  }
  waiting_[m.identifier].push_back(m.reply);
  start_resolving(*route, m.identifier, ctx);
}

void resolver_router::start_resolving(const identifier_route& route, const std::string& identifier,
                                      actors::context<protocol>& ctx) {
  ++stats_.resolutions;
  if (replaying_) return;  // the recorded identifier_resolved follows
  const auto found = services_->platforms.find(route.where);
  std::shared_ptr<platform_resolver> resolver = found == services_->platforms.end() ? nullptr : found->second;
  std::weak_ptr<actors::typed_cell<protocol>> self = ctx.self().cell();
  boost::asio::post(services_->work, [self, resolver, route, identifier] {
    lavalink::load_result result;  // empty when no resolver serves the platform, as in Lavalink
    if (resolver) {
      try {
        result = resolver->load(route);
      } catch (const std::exception& e) {
        // A resolver's promise is not to throw; one that does is a bug, reported as a fault.
        spdlog::error("resolver for {} threw: {}", to_string(route.where), e.what());
        result = load_error("Something went wrong while looking up the track.", "fault", e.what());
      }
    }
    // Results are few and each answers requests already counted against max_in_flight.
    if (auto cell = self.lock()) cell->box().force_push(protocol{identifier_resolved{identifier, std::move(result)}});
  });
}

void resolver_router::handle(const identifier_resolved& m, actors::context<protocol>& ctx) {
  using kind = lavalink::load_result::kind;
  const bool failure = m.result.type == kind::empty || m.result.type == kind::error;
  cache_.put(m.identifier, m.result, weight_of(m.result), failure ? settings_.failure_ttl : settings_.metadata_ttl,
             ctx.now());
  auto waiting = waiting_.extract(m.identifier);
  if (waiting.empty()) return;
  for (const auto& reply : waiting.mapped()) reply.send(m.result);
}

void resolver_router::handle(const get_resolver_stats& m, actors::context<protocol>&) {
  auto stats = stats_;
  const auto cache = cache_.stats();
  stats.cache_hits = cache.hits;
  stats.cache_misses = cache.misses;
  stats.cache_entries = cache.entries;
  stats.cache_bytes = cache.bytes;
  stats.in_flight = waiting_.size();
  m.reply.send(stats);
}

void register_resolver_kind(actors::actor_registry& registry) { registry.add<resolver_router>(); }

}  // namespace spence::resolvers
