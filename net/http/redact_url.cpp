#include "net/http/redact_url.hpp"

#include <algorithm>

namespace spence::net {

std::string redact_url(std::string_view url) {
  // "://" counts only before any '/', '?' or '#': inside a query it is data, not a scheme.
  const std::size_t scheme_end = url.find("://");
  const bool has_scheme = scheme_end != std::string_view::npos && scheme_end < url.find_first_of("/?#");
  const std::size_t authority_begin = has_scheme ? scheme_end + 3 : 0;
  // The authority ends where the path, query or fragment begins (RFC 3986, 3.2); userinfo ends at
  // its last '@'.
  const std::size_t authority_end = std::min(url.find_first_of("/?#", authority_begin), url.size());
  const std::size_t at = url.substr(authority_begin, authority_end - authority_begin).rfind('@');
  const std::size_t host_begin = at == std::string_view::npos ? authority_begin : authority_begin + at + 1;
  const std::string_view rest = url.substr(host_begin);
  std::string name(url.substr(0, authority_begin));
  name += rest.substr(0, rest.find_first_of("?#"));
  return name;
}

}  // namespace spence::net
