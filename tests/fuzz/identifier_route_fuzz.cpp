// The resolvers' router: any bytes are routed or refused with a reason; a route always has a
// query, searches and ISRCs never reach an HTTP or local resolver, and URLs never reach a search.

#include "resolvers/identifier_route.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spence::resolvers;
  auto route = route_identifier(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!route) {
    if (route.error().empty()) std::abort();
    return 0;
  }
  if (route->query.empty() || route->query.size() > size) std::abort();
  const bool fetched = route->kind == route_kind::url || route->kind == route_kind::path;
  if (!fetched && (route->where == platform::http || route->where == platform::local)) std::abort();
  if ((route->kind == route_kind::path) != (route->where == platform::local)) std::abort();
  if (route->kind == route_kind::isrc && (route->where != platform::deezer || route->query.size() != 12)) std::abort();
  return 0;
}
