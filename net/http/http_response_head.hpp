#pragma once
// The response headers an HTTP source acts on (Content-Length, Content-Range, Accept-Ranges; and
// Content-Type, icy-metaint and icy-name, which say what the body is), parsed from the header lines curl hands over one at a time. The values come from the network:
// numbers are checked for syntax and overflow, and a header that breaks its grammar is reported,
// never guessed at, because a wrong offset or length would splice the wrong bytes into the stream.

#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace spence::net {

// A satisfied byte range as a 206 response describes its body (RFC 9110, 14.4).
struct content_range {
  std::uint64_t first = 0;
  std::uint64_t last = 0;                        // inclusive
  std::optional<std::uint64_t> complete_length;  // nullopt for "*" (length unknown)

  bool operator==(const content_range&) const = default;
};

// 1*DIGIT with optional surrounding whitespace; media_errc::malformed otherwise (including overflow).
boost::system::result<std::uint64_t> parse_content_length(std::string_view value);
// "bytes first-last/complete" or "bytes first-last/*" with first <= last < complete;
// media_errc::malformed otherwise (also for the unsatisfied form "bytes */complete").
boost::system::result<content_range> parse_content_range(std::string_view value);
// Whether an Accept-Ranges list names the "bytes" unit.
bool names_byte_ranges(std::string_view accept_ranges);

// A Content-Type's media type, lower case, without parameters ("audio/ogg; codecs=opus" ->
// "audio/ogg"); empty when the value has no type/subtype.
std::string media_type_of(std::string_view content_type);

// What a response says its body is, for choosing how to read it (net/http/http_media_open).
struct body_description {
  std::string media_type;                 // media_type_of(Content-Type); empty when absent
  std::optional<std::uint64_t> icy_metaint;  // audio bytes between ICY metadata blocks (> 0)
  std::string icy_name;                   // the station's name, at most 256 bytes
  std::string location;                   // the URL the body came from, after redirects (set by http_transfer)

  bool operator==(const body_description&) const = default;
};

class http_response_head {
 public:
  // One line as curl delivers it, line ending included. A status line starts a new response: curl
  // reports the heads of redirects and interim responses too, and only the last describes the body.
  void add_line(std::string_view line);

  const std::optional<std::uint64_t>& content_length() const noexcept { return content_length_; }
  const std::optional<content_range>& range() const noexcept { return range_; }
  bool accepts_byte_ranges() const noexcept { return accepts_byte_ranges_; }
  const body_description& body() const noexcept { return body_; }
  // Empty, or the name of the first header whose value broke its grammar (or contradicted an
  // earlier copy of itself); such a response cannot be trusted with offsets.
  std::string_view malformed_header() const noexcept { return malformed_header_; }

 private:
  std::optional<std::uint64_t> content_length_;
  std::optional<content_range> range_;
  bool accepts_byte_ranges_ = false;
  body_description body_;
  std::string_view malformed_header_;
};

}  // namespace spence::net
