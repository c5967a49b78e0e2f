#include "resolvers/json_reply.hpp"

#include "resolvers/resolver_router.hpp"

#include <boost/json/parse.hpp>
#include <boost/url/encode.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include <fmt/format.h>

namespace spence::resolvers {

namespace json = boost::json;

json_reply read_json_reply(const net::http_fetch_result& reply, std::string_view service) {
  json_reply out;
  if (!reply) {
    out.failure = load_error(fmt::format("{} could not be reached", service), "suspicious", reply.error());
    return out;
  }
  if (reply->status == 404) {
    out.not_found = true;
    return out;
  }
  if (reply->status == 429) {
    const auto after = reply->header("retry-after");
    out.failure = load_error(after ? fmt::format("{} is limiting requests; try again in {} s", service, *after)
                                   : fmt::format("{} is limiting requests; try again later", service),
                             "common", "HTTP 429");
    return out;
  }
  if (reply->status != 200) {
    out.failure = load_error(fmt::format("{} answered with HTTP status {}", service, reply->status), "suspicious",
                             fmt::format("HTTP {}", reply->status));
    return out;
  }
  boost::system::error_code ec;
  auto body = json::parse(reply->body, ec);
  if (ec) {
    out.failure = load_error(fmt::format("{}'s answer is not JSON", service), "suspicious", ec.message());
    return out;
  }
  out.body = std::move(body);
  return out;
}

net::lavalink::load_result failure_of(const json_reply& reply) {
  return reply.not_found ? net::lavalink::load_result{} : reply.failure;
}

net::lavalink::load_result incomplete_answer(std::string_view service, std::string_view what) {
  return load_error(fmt::format("{}'s {} lacks fields spence needs", service, what), "suspicious", fmt::format("incomplete {}", what));
}

const json::object* element_of(const json::object& o, std::string_view key, std::size_t index) {
  const auto* a = array_of(o, key);
  if (!a || index >= a->size() || !(*a)[index].is_object()) return nullptr;
  return &(*a)[index].as_object();
}

std::optional<std::string> id_of(const json::object& o, std::string_view key) {
  if (auto text = text_of(o, key)) return text->empty() ? std::nullopt : text;
  if (auto n = integer_of(o, key)) return std::to_string(*n);
  return std::nullopt;
}

std::string url_encoded(std::string_view text) { return boost::urls::encode(text, boost::urls::unreserved_chars); }

std::optional<std::string> text_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->as_string());
}

std::optional<std::int64_t> integer_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (v && v->is_int64()) return v->as_int64();
  if (v && v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) return static_cast<std::int64_t>(v->as_uint64());
  return std::nullopt;
}

const json::object* object_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* array_of(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

const json::value* dig(const json::value* from, std::initializer_list<json_step> steps) {
  for (const auto& step : steps) {
    if (!from) return nullptr;
    if (const auto* key = std::get_if<std::string_view>(&step)) {
      from = from->is_object() ? from->as_object().if_contains(*key) : nullptr;
    } else {
      const auto index = std::get<std::size_t>(step);
      from = from->is_array() && index < from->as_array().size() ? &from->as_array()[index] : nullptr;
    }
  }
  return from;
}

const json::object* dig_object(const json::value* from, std::initializer_list<json_step> steps) {
  const auto* v = dig(from, steps);
  return v && v->is_object() ? &v->as_object() : nullptr;
}

const json::array* dig_array(const json::value* from, std::initializer_list<json_step> steps) {
  const auto* v = dig(from, steps);
  return v && v->is_array() ? &v->as_array() : nullptr;
}

}  // namespace spence::resolvers
