#pragma once
// The path segments of a platform's URL (decoded, empty ones dropped) and one query parameter:
// how the metadata platforms' resolvers tell a track URL from an album's, and find its id.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spence::resolvers {

struct url_path {
  std::vector<std::string> segments;
  std::vector<std::pair<std::string, std::string>> params;
  std::optional<std::string> param(std::string_view key) const;
};

// Nothing when the URL does not parse (route_identifier has already refused those).
std::optional<url_path> url_path_of(std::string_view url);

}  // namespace spence::resolvers
