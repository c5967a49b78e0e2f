#include "tests/resolvers/soundcloud_fixture.hpp"

#include <boost/url/parse.hpp>

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace spence::test {

namespace http = boost::beast::http;

class soundcloud_fixture::handler final : public net::http_handler {
 public:
  std::string base;
  mutable std::mutex mutex;
  std::string client_id = "FixtureClientId0001";
  std::map<std::string, int> counts;
  std::string stream;  // the progressive stream's bytes

  boost::asio::awaitable<net::http_answer> answer(const net::http_request& request) override {
    auto target = boost::urls::parse_origin_form(request.target());
    net::http_response r{http::status::ok, request.version()};
    if (!target) co_return finish(std::move(r), http::status::bad_request, "bad target");
    const std::string path = target->path();
    std::map<std::string, std::string> query;
    for (auto param : target->params()) query[param.key] = param.value;
    std::string accepted;
    {
      std::lock_guard lock(mutex);
      ++counts[path];
      accepted = client_id;
    }
    if (path == "/") {
      r.set(http::field::content_type, "text/html");
      r.body() = fmt::format("<html><head><script crossorigin src=\"{}/assets/vendor.js\"></script>\n"
                             "<script crossorigin src=\"/assets/app.js\"></script></head><body></body></html>", base);
      co_return finish(std::move(r));
    }
    if (path == "/assets/vendor.js") {
      r.body() = "var vendor={client:\"not it\"};";
      co_return finish(std::move(r));
    }
    if (path == "/assets/app.js") {
      r.body() = fmt::format("webpackJsonp([1],{{a:function(e){{e.exports={{api:\"x\",client_id:\"{}\",app_version:1}}}}}});", accepted);
      co_return finish(std::move(r));
    }
    if (path == "/stream/1.mp3") {
      std::lock_guard lock(mutex);
      if (stream.empty()) co_return finish(std::move(r), http::status::not_found, "{}");
      r.set(http::field::content_type, "audio/mpeg");
      co_return finish(std::move(r), http::status::ok, stream);
    }
    if (query["client_id"] != accepted) co_return finish(std::move(r), http::status::unauthorized, "{}");
    if (path == "/resolve") {
      const auto& url = query["url"];
      const auto slug = url.substr(url.rfind('/') + 1);
      if (slug == "first-light") co_return json(std::move(r), "track.json");
      if (slug == "preview") co_return json(std::move(r), "preview.json");
      if (slug == "blocked") co_return json(std::move(r), "blocked.json");
      if (slug == "hls-only") co_return json(std::move(r), "hls_only.json");
      if (slug == "mix") co_return json(std::move(r), "playlist.json");
      if (slug == "limited") {
        r.set(http::field::retry_after, "9");
        co_return finish(std::move(r), http::status::too_many_requests, "{}");
      }
      if (slug == "garbage") co_return finish(std::move(r), http::status::ok, "<html>maintenance</html>");
      if (slug == "someone") co_return finish(std::move(r), http::status::ok, R"({"kind":"user","id":10,"username":"x"})");
      co_return finish(std::move(r), http::status::not_found, "{}");
    }
    if (path == "/tracks" && query["ids"] == "3") co_return json(std::move(r), "tracks_3.json");
    if (path == "/search/tracks") {
      if (query["q"].starts_with("lofi")) co_return json(std::move(r), "search.json");
      co_return finish(std::move(r), http::status::ok, R"({"collection":[],"total_results":0})");
    }
    if (path.starts_with("/media/soundcloud:tracks:") && path.ends_with("/stream/progressive"))
      co_return finish(std::move(r), http::status::ok, fmt::format(R"({{"url":"{}/stream/1.mp3?Policy=fixture"}})", base));
    co_return finish(std::move(r), http::status::not_found, "{}");
  }

  net::http_response refuse(http::status status, std::string_view reason) override {
    net::http_response r{status, 11};
    r.body() = std::string(reason);
    r.prepare_payload();
    return r;
  }

 private:
  net::http_response finish(net::http_response r, http::status status = http::status::ok, std::string body = {}) {
    r.result(status);
    if (!body.empty()) r.body() = std::move(body);
    r.prepare_payload();
    return r;
  }
  net::http_response json(net::http_response r, const std::string& file) {
    std::ifstream in(std::string(SPENCE_SOUNDCLOUD_FIXTURES) + "/" + file);
    std::stringstream text;
    text << in.rdbuf();
    auto body = text.str();
    for (auto at = body.find("{{base}}"); at != std::string::npos; at = body.find("{{base}}", at)) body.replace(at, 8, base);
    r.set(http::field::content_type, "application/json");
    return finish(std::move(r), http::status::ok, std::move(body));
  }
};

soundcloud_fixture::soundcloud_fixture()
    : handler_(std::make_shared<handler>()), server_(std::make_shared<net::http_server>(io_.get_executor(), handler_)) {
  port_ = server_->listen({boost::asio::ip::address_v4::loopback(), 0}).port();
  handler_->base = base();
  server_->start();
  thread_ = std::thread([this] { io_.run(); });
}

soundcloud_fixture::~soundcloud_fixture() {
  server_->stop();
  io_.stop();
  thread_.join();
}

std::string soundcloud_fixture::base() const { return "http://127.0.0.1:" + std::to_string(port_); }

void soundcloud_fixture::rotate_client_id(std::string id) {
  std::lock_guard lock(handler_->mutex);
  handler_->client_id = std::move(id);
}

void soundcloud_fixture::set_stream(std::vector<std::uint8_t> media) {
  std::lock_guard lock(handler_->mutex);
  handler_->stream.assign(media.begin(), media.end());
}

int soundcloud_fixture::requests(const std::string& prefix) const {
  std::lock_guard lock(handler_->mutex);
  int n = 0;
  for (const auto& [path, count] : handler_->counts)
    if (path.starts_with(prefix)) n += count;
  return n;
}

}  // namespace spence::test
