#pragma once
// Walking a list an API gives page by page (Spotify's albums and playlists, Apple Music's): the
// items of the first page, then of each page its `next` names, up to a number of pages.

#include "resolvers/json_reply.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace spence::resolvers {

struct page_walk {
  std::string_view items_key;  // "items" (Spotify), "data" (Apple Music)
  int max_pages = 6;
  // Loads the page a `next` link names; not_found ends the walk (a link spence does not follow).
  std::function<json_reply(const std::string& next)> fetch;
};

// Calls `each` with every object item, in order. The failure of a page that did not load, if any.
std::optional<net::lavalink::load_result> walk_pages(const boost::json::object* first, const page_walk& how,
                                                     const std::function<void(const boost::json::object&)>& each);

}  // namespace spence::resolvers
