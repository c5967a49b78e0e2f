#include "resolvers/identifier_route.hpp"

#include "net/http/redact_url.hpp"

#include <boost/url/parse.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace spence::resolvers {

namespace {

struct search_prefix {
  std::string_view prefix;
  platform where;
};

// Longest first where one prefix starts another (ytmsearch: is not ytsearch: of "msearch:...").
constexpr std::array<search_prefix, 6> search_prefixes{{{"ytmsearch:", platform::youtube_music},
                                                        {"ytsearch:", platform::youtube},
                                                        {"scsearch:", platform::soundcloud},
                                                        {"dzsearch:", platform::deezer},
                                                        {"spsearch:", platform::spotify},
                                                        {"amsearch:", platform::apple_music}}};
constexpr std::string_view deezer_isrc_prefix = "dzisrc:";

struct platform_host {
  std::string_view host;
  platform where;
};

constexpr std::array<platform_host, 16> platform_hosts{{{"youtube.com", platform::youtube},
                                                         {"www.youtube.com", platform::youtube},
                                                         {"m.youtube.com", platform::youtube},
                                                         {"youtu.be", platform::youtube},
                                                         {"music.youtube.com", platform::youtube_music},
                                                         {"soundcloud.com", platform::soundcloud},
                                                         {"www.soundcloud.com", platform::soundcloud},
                                                         {"m.soundcloud.com", platform::soundcloud},
                                                         {"on.soundcloud.com", platform::soundcloud},
                                                         {"deezer.com", platform::deezer},
                                                         {"www.deezer.com", platform::deezer},
                                                         {"link.deezer.com", platform::deezer},
                                                         {"deezer.page.link", platform::deezer},
                                                         {"open.spotify.com", platform::spotify},
                                                         {"spotify.link", platform::spotify},
                                                         {"music.apple.com", platform::apple_music}}};

bool starts_with_ignoring_case(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
         });
}

// An ISRC: two letters (the country), three letters or digits (the registrant), seven digits.
bool is_isrc(std::string_view code) {
  if (code.size() != 12) return false;
  for (std::size_t i = 0; i < code.size(); ++i) {
    const auto c = static_cast<unsigned char>(code[i]);
    const bool ok = i < 2 ? std::isalpha(c) : i < 5 ? std::isalnum(c) : std::isdigit(c);
    if (!ok) return false;
  }
  return true;
}

// The URL's host, lower case, or the reason it is not a URL spence can fetch.
boost::system::result<std::string, std::string> host_of(std::string_view url) {
  // Strict RFC 3986: no guessing, no spaces or other characters a URL must not hold.
  auto parsed = boost::urls::parse_absolute_uri(url);
  if (!parsed) return {boost::system::in_place_error, "the URL does not parse"};
  std::string host = parsed->host();
  std::transform(host.begin(), host.end(), host.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (host.empty()) return {boost::system::in_place_error, "the URL has no host"};
  return {boost::system::in_place_value, std::move(host)};
}

}  // namespace

boost::system::result<identifier_route, std::string> route_identifier(std::string_view identifier) {
  if (identifier.empty()) return std::string("the identifier is empty");
  if (identifier.size() > max_identifier_bytes)
    return "the identifier is longer than " + std::to_string(max_identifier_bytes) + " bytes";
  if (std::any_of(identifier.begin(), identifier.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7F; }))
    return std::string("the identifier holds control characters");

  for (const auto& [prefix, where] : search_prefixes) {
    if (!identifier.starts_with(prefix)) continue;
    auto terms = identifier.substr(prefix.size());
    while (!terms.empty() && terms.front() == ' ') terms.remove_prefix(1);
    while (!terms.empty() && terms.back() == ' ') terms.remove_suffix(1);
    if (terms.empty()) return std::string(prefix) + " needs search terms";
    return identifier_route{where, route_kind::search, std::string(terms)};
  }
  if (identifier.starts_with(deezer_isrc_prefix)) {
    std::string code(identifier.substr(deezer_isrc_prefix.size()));
    std::erase(code, '-');  // ISRCs are often written US-RC1-76-07839
    std::transform(code.begin(), code.end(), code.begin(), [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    if (!is_isrc(code)) return "dzisrc: needs an ISRC (2 letters, 3 letters or digits, 7 digits), not \"" + code + "\"";
    return identifier_route{platform::deezer, route_kind::isrc, std::move(code)};
  }
  if (starts_with_ignoring_case(identifier, "http://") || starts_with_ignoring_case(identifier, "https://")) {
    auto host = host_of(identifier);
    if (!host) return host.error() + ": " + net::redact_url(identifier);  // its credentials stay out of the message
    platform where = platform::http;
    for (const auto& known : platform_hosts)
      if (known.host == *host) where = known.where;
    return identifier_route{where, route_kind::url, std::string(identifier)};
  }
  return identifier_route{platform::local, route_kind::path, std::string(identifier)};
}

std::string_view source_name(platform p) noexcept {
  switch (p) {
    case platform::youtube:
    case platform::youtube_music: return "youtube";
    case platform::soundcloud: return "soundcloud";
    case platform::deezer: return "deezer";
    case platform::spotify: return "spotify";
    case platform::apple_music: return "applemusic";
    case platform::http: return "http";
    case platform::local: return "local";
  }
  return "unknown";
}

std::string_view to_string(platform p) noexcept {
  switch (p) {
    case platform::youtube: return "youtube";
    case platform::youtube_music: return "youtube_music";
    case platform::soundcloud: return "soundcloud";
    case platform::deezer: return "deezer";
    case platform::spotify: return "spotify";
    case platform::apple_music: return "apple_music";
    case platform::http: return "http";
    case platform::local: return "local";
  }
  return "unknown";
}

std::string_view to_string(route_kind k) noexcept {
  switch (k) {
    case route_kind::search: return "search";
    case route_kind::isrc: return "isrc";
    case route_kind::url: return "url";
    case route_kind::path: return "path";
  }
  return "unknown";
}

}  // namespace spence::resolvers
