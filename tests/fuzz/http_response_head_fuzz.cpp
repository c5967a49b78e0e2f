// libFuzzer target for what net/http parses from the network and from users: response header lines
// as curl hands them over (the input split at '\n'), and the same input as a URL to redact.
// Beyond "no crash": accepted ranges are consistent, and redacted names keep no query, fragment
// or userinfo.

#include "net/http/http_response_head.hpp"
#include "net/http/redact_url.hpp"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  spence::net::http_response_head head;
  for (std::string_view rest = input; !rest.empty();) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = newline == std::string_view::npos ? rest : rest.substr(0, newline + 1);
    head.add_line(line);
    rest.remove_prefix(line.size());
  }
  if (const auto& range = head.range()) {
    if (range->first > range->last) std::abort();
    if (range->complete_length && *range->complete_length <= range->last) std::abort();
  }

  const std::string name = spence::net::redact_url(input);
  if (name.size() > input.size() || name.find_first_of("?#") != std::string::npos) std::abort();
  const std::size_t scheme_end = name.find("://");
  if (scheme_end != std::string::npos && scheme_end < name.find('/')) {
    const std::string_view authority = std::string_view(name).substr(scheme_end + 3, name.find('/', scheme_end + 3) - scheme_end - 3);
    if (authority.find('@') != std::string_view::npos) std::abort();
  }
  return 0;
}
