#pragma once
// What the platform resolvers share in reading their services' JSON APIs: a reply (or the
// transport failure) turned into the parsed body, `not found`, or a Lavalink error naming the
// service and what went wrong (unreachable, rate limited with its Retry-After, another status, not
// JSON); and lookups of typed fields that answer "absent" for a missing field or one of another type,
// so a changed answer is a clear error, never an exception.

#include "net/http/http_fetch.hpp"
#include "net/lavalink/load_result.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace spence::resolvers {

struct json_reply {
  std::optional<boost::json::value> body;  // a 200 whose body parsed
  net::lavalink::load_result failure;      // otherwise: the error for the client
  bool not_found = false;                  // a 404: the resource does not exist (Lavalink's `empty`)
};

// `service` names the platform in messages ("SoundCloud", "YouTube").
json_reply read_json_reply(const net::http_fetch_result& reply, std::string_view service);

// What a reply without a body answers the client: `empty` for not_found, else its failure.
net::lavalink::load_result failure_of(const json_reply& reply);
// The error for an answer that lacks what spence reads: "Spotify's album lacks fields spence needs".
net::lavalink::load_result incomplete_answer(std::string_view service, std::string_view what);

std::optional<std::string> text_of(const boost::json::object& o, std::string_view key);
std::optional<std::int64_t> integer_of(const boost::json::object& o, std::string_view key);
const boost::json::object* object_of(const boost::json::object& o, std::string_view key);
const boost::json::array* array_of(const boost::json::object& o, std::string_view key);
// The object at `index` of an array field.
const boost::json::object* element_of(const boost::json::object& o, std::string_view key, std::size_t index = 0);
// The text of an id a platform sends as a number or a string (Deezer's numbers, Apple's strings).
std::optional<std::string> id_of(const boost::json::object& o, std::string_view key);
// `text` percent-encoded for a query parameter or a path segment (only unreserved characters kept).
std::string url_encoded(std::string_view text);

// The value reached by following keys (into objects) and indexes (into arrays) from `from`, or
// nullptr where a step is missing or meets another type.
using json_step = std::variant<std::string_view, std::size_t>;
const boost::json::value* dig(const boost::json::value* from, std::initializer_list<json_step> steps);
const boost::json::object* dig_object(const boost::json::value* from, std::initializer_list<json_step> steps);
const boost::json::array* dig_array(const boost::json::value* from, std::initializer_list<json_step> steps);

}  // namespace spence::resolvers
