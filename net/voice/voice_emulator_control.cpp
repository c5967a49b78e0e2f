// The emulator's control API (see voice_emulator.hpp): what each request asks, checked field by
// field, so that a test or a benchmark in another process gets a clear 4xx rather than a fault it
// did not mean. Runs on the emulator's executor, like the gateway it acts on.

#include "net/voice/voice_emulator.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <initializer_list>

namespace spence::net {

namespace http = boost::beast::http;

namespace {

constexpr std::chrono::milliseconds max_delay{10'000};

// A request the API refuses; answered with its status and message.
struct refused {
  http::status status;
  std::string message;
};

[[noreturn]] void refuse(std::string message) { throw refused{http::status::bad_request, std::move(message)}; }

// The request body as a JSON object whose fields are all among `known`.
boost::json::object body_object(const http::request<http::string_body>& request,
                                std::initializer_list<std::string_view> known) {
  boost::system::error_code ec;
  auto value = boost::json::parse(request.body(), ec);
  if (ec) refuse("the body is not JSON: " + ec.message());
  if (!value.is_object()) refuse("the body must be a JSON object");
  for (const auto& field : value.as_object())
    if (std::find(known.begin(), known.end(), field.key()) == known.end())
      refuse("unknown field \"" + std::string(field.key()) + "\"");
  return std::move(value.as_object());
}

double number_field(const boost::json::object& body, std::string_view name, double min, double max, double absent) {
  const auto* v = body.if_contains(name);
  if (!v) return absent;
  if (!v->is_number()) refuse(std::string(name) + " must be a number");
  const double x = v->to_number<double>();
  if (!(x >= min && x <= max)) refuse(fmt::format("{} must be between {} and {}", name, min, max));
  return x;
}

std::string user_field(const boost::json::object& body) {
  const auto* v = body.if_contains("user_id");
  if (!v || !v->is_string() || v->as_string().empty()) refuse("user_id must be a non-empty string");
  return std::string(v->as_string());
}

// A close code an endpoint may send (RFC 6455 section 7.4): not 1004-1006 or 1015, which are
// reserved, nor below 1000 or in 1016-2999.
std::uint16_t close_code_field(const boost::json::object& body) {
  const auto* v = body.if_contains("code");
  if (!v) refuse("code is required");
  if (!v->is_int64() && !v->is_uint64()) refuse("code must be an integer");
  const auto code = v->to_number<std::int64_t>();
  const bool sendable = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
  if (!sendable) refuse("code " + std::to_string(code) + " is not a close code an endpoint may send");
  return static_cast<std::uint16_t>(code);
}

void require_method(const http::request<http::string_body>& request, http::verb method) {
  if (request.method() != method)
    throw refused{http::status::method_not_allowed,
                  std::string(request.target()) + " takes " + std::string(http::to_string(method))};
}

http_response json_response(http::status status, const boost::json::value& body) {
  return make_http_response(status, "application/json", boost::json::serialize(body));
}

}  // namespace

http_response voice_emulator::control_error(http::status status, std::string_view message) {
  return json_response(status, boost::json::object{{"error", message}});
}

http_response voice_emulator::answer_control(const http_request& request) {
  try {
    const auto target = request.target();
    if (target == "/stats") {
      require_method(request, http::verb::get);
      return json_response(http::status::ok, stats());
    }
    if (target == "/faults") {
      require_method(request, http::verb::post);
      const auto body = body_object(request, {"loss", "delay_ms", "duplicate"});
      relay_faults faults;
      faults.loss = number_field(body, "loss", 0, 1, 0);
      faults.duplicate = number_field(body, "duplicate", 0, 1, 0);
      faults.delay = std::chrono::milliseconds(
          std::lround(number_field(body, "delay_ms", 0, static_cast<double>(max_delay.count()), 0)));
      relay_->set_faults(faults);
      return json_response(http::status::ok,
                           {{"loss", faults.loss}, {"delay_ms", faults.delay.count()}, {"duplicate", faults.duplicate}});
    }
    if (target == "/disconnect") {
      require_method(request, http::verb::post);
      const auto body = body_object(request, {"user_id", "code"});
      const auto user_id = user_field(body);
      const auto code = close_code_field(body);
      if (disconnect_now(user_id, code, "disconnected by the control API") == 0)
        throw refused{http::status::not_found, "user " + user_id + " has no open gateway connection"};
      return json_response(http::status::ok, {{"user_id", user_id}, {"code", code}});
    }
    if (target == "/rekey") {
      require_method(request, http::verb::post);
      const auto body = body_object(request, {"user_id"});
      const auto user_id = user_field(body);
      const auto rekeyed = rekey_now(user_id);
      if (rekeyed == 0)
        throw refused{http::status::not_found, "user " + user_id + " has no open session with a key yet"};
      return json_response(http::status::ok, {{"user_id", user_id}, {"sessions", rekeyed}});
    }
    throw refused{http::status::not_found, "no such endpoint: " + std::string(target)};
  } catch (const refused& r) {
    return control_error(r.status, r.message);
  }
}

}  // namespace spence::net
