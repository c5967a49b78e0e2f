#include "resolvers/paged_list.hpp"

#include "resolvers/json_reply.hpp"

namespace spence::resolvers {

std::optional<net::lavalink::load_result> walk_pages(const boost::json::object* page, const page_walk& how,
                                                     const std::function<void(const boost::json::object&)>& each) {
  std::optional<boost::json::value> held;  // the page being read, once past the first
  for (int pages = 0; page && pages < how.max_pages; ++pages) {
    if (const auto* items = array_of(*page, how.items_key))
      for (const auto& item : *items)
        if (item.is_object()) each(item.as_object());
    const auto next = text_of(*page, "next");
    if (!next || pages + 1 == how.max_pages) break;
    auto more = how.fetch(*next);
    if (!more.body) {
      if (more.not_found) break;
      return more.failure;
    }
    held = std::move(more.body);
    page = held->is_object() ? &held->as_object() : nullptr;
  }
  return std::nullopt;
}

}  // namespace spence::resolvers
