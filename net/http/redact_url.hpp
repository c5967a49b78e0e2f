#pragma once
// The name an HTTP source shows in errors and logs. URLs of media often carry credentials: a
// user:password before the host, or a signature and expiry in the query string. Neither may reach
// a log, so the name keeps only the scheme, host, port and path.

#include <string>
#include <string_view>

namespace spence::net {

// "https://user:pw@host:8443/a/b.webm?sig=x#t" -> "https://host:8443/a/b.webm". Works on any string
// (a URL too broken to parse still loses everything after '?' or '#').
std::string redact_url(std::string_view url);

}  // namespace spence::net
