#include "tests/resolvers/fixture_server.hpp"

#include <boost/url/parse.hpp>

#include <cctype>
#include <fstream>
#include <sstream>

namespace spence::test {

namespace http = boost::beast::http;

fixture_response reply_with(unsigned status, std::string body, std::string content_type) {
  fixture_response r;
  r.status = status;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

class fixture_server::handler final : public net::http_handler {
 public:
  explicit handler(std::function<fixture_response(const fixture_request&)> route) : route_(std::move(route)) {}

  boost::asio::awaitable<net::http_answer> answer(const net::http_request& request) override {
    net::http_response r{http::status::ok, request.version()};
    auto target = boost::urls::parse_origin_form(request.target());
    if (!target) co_return refuse(http::status::bad_request, "bad target");
    fixture_request in;
    in.method = std::string(request.method_string());
    in.path = target->path();
    for (auto param : target->params()) in.query[param.key] = param.value;
    in.body = request.body();
    for (const auto& field : request) {
      std::string name(field.name_string());
      for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      in.headers[name] = std::string(field.value());
    }
    {
      std::lock_guard lock(mutex);
      ++counts[in.path];
    }
    auto out = route_(in);
    r.result(static_cast<http::status>(out.status));
    r.set(http::field::content_type, out.content_type);
    for (const auto& [name, value] : out.headers) r.set(name, value);
    r.body() = std::move(out.body);
    r.prepare_payload();
    co_return r;
  }

  net::http_response refuse(http::status status, std::string_view reason) override {
    net::http_response r{status, 11};
    r.body() = std::string(reason);
    r.prepare_payload();
    return r;
  }

  mutable std::mutex mutex;
  std::map<std::string, int> counts;

 private:
  std::function<fixture_response(const fixture_request&)> route_;
};

fixture_server::fixture_server(std::function<fixture_response(const fixture_request&)> route)
    : handler_(std::make_shared<handler>(std::move(route))),
      server_(std::make_shared<net::http_server>(io_.get_executor(), handler_)) {
  port_ = server_->listen({boost::asio::ip::address_v4::loopback(), 0}).port();
  server_->start();
  thread_ = std::thread([this] { io_.run(); });
}

fixture_server::~fixture_server() {
  server_->stop();
  io_.stop();
  thread_.join();
}

std::string fixture_server::base() const { return "http://127.0.0.1:" + std::to_string(port_); }

int fixture_server::requests(const std::string& prefix) const {
  std::lock_guard lock(handler_->mutex);
  int n = 0;
  for (const auto& [path, count] : handler_->counts)
    if (path.starts_with(prefix)) n += count;
  return n;
}

fixture_response fixture_server::json_file(const std::string& dir, const std::string& file) const {
  std::ifstream in(dir + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  fixture_response out;
  out.body = text.str();
  if (!in) {
    out.status = 500;
    out.body = "fixture missing: " + file;
  }
  const auto address = base();
  for (auto at = out.body.find("{{base}}"); at != std::string::npos; at = out.body.find("{{base}}", at)) out.body.replace(at, 8, address);
  return out;
}

}  // namespace spence::test
