#include "resolvers/url_path.hpp"

#include <boost/url/parse.hpp>

namespace spence::resolvers {

std::optional<std::string> url_path::param(std::string_view key) const {
  for (const auto& [k, v] : params)
    if (k == key) return v;
  return std::nullopt;
}

std::optional<url_path> url_path_of(std::string_view url) {
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return std::nullopt;
  url_path out;
  for (auto segment : parsed->segments())
    if (!segment.empty()) out.segments.emplace_back(segment);
  // An absolute URI has no fragment, which keeps Boost.URL 1.81's params() iterator from its bug
  // (it reads past the end of "...?#..."); the guard holds should the parse ever allow one.
  if (!parsed->encoded_query().empty())
    for (auto p : parsed->params()) out.params.emplace_back(p.key, p.value);
  return out;
}

}  // namespace spence::resolvers
