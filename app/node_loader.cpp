#include "app/node_loader.hpp"

#include <stdexcept>

namespace spence::app {

node_loader::node_loader(actors::runtime& rt, const node_tracks& tracks, resolvers::resolver_settings settings) {
  auto services = std::make_shared<resolvers::resolver_services>();
  services->work = work_.get_executor();
  services->platforms = tracks.platform_resolvers();
  services->settings = settings;
  rt.services().provide(services);
  auto router = rt.spawn<resolvers::resolver_router>("/node/resolvers/router");
  if (!router) throw std::runtime_error("the resolvers' router did not start: " + router.error().message());
  router_ = *router;
}

node_loader::~node_loader() { work_.join(); }

boost::asio::awaitable<net::lavalink::load_result> node_loader::load(std::string identifier) const {
  auto answer = co_await actors::ask<net::lavalink::load_result>(
      router_, [&](actors::reply_to<net::lavalink::load_result> to) { return resolvers::resolve_identifier{identifier, to}; },
      answer_within);
  if (answer) co_return std::move(*answer);
  co_return resolvers::load_error("spence could not load the identifier: " + answer.error().message(), "fault",
                                  answer.error().message());
}

}  // namespace spence::app
