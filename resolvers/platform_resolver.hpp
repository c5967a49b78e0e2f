#pragma once
// What the router hands a routed identifier to: one resolver per platform (HTTP, local files, and
// the platforms of issue 8). Resolvers block (they read the network or the disk), so the router
// runs them on its work executor, never on its own strand.

#include "net/lavalink/load_result.hpp"
#include "resolvers/identifier_route.hpp"

namespace spence::resolvers {

class platform_resolver {
 public:
  virtual ~platform_resolver() = default;
  // Never throws: a failure is an `error` result whose message a client can show.
  virtual net::lavalink::load_result load(const identifier_route& route) = 0;
};

}  // namespace spence::resolvers
