// Whole HTTP exchanges against spence's own HTTP server on loopback: a JSON GET, a POST with
// headers and a body, statuses given back as replies (a 429 with its Retry-After), redirects
// followed to the final URL, and the errors: a body over the bound, a server too slow, a refused
// connection, a header that would split the request.

#include "net/http/http_fetch.hpp"

#include "net/http/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace spence::net {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

// Answers by path: /json, /echo (the method, a header and the body back), /limited (429),
// /moved (302 to /json), /big (1 MiB), /slow (after 2 s).
class fixture final : public http_handler {
 public:
  asio::awaitable<http_answer> answer(const http_request& request) override {
    http_response r{http::status::ok, request.version()};
    const auto target = std::string(request.target());
    if (target == "/json") {
      r.set(http::field::content_type, "application/json");
      r.body() = R"({"ok":true})";
    } else if (target == "/echo") {
      r.body() = std::string(request.method_string()) + " " + std::string(request[ "X-Test" ]) + " " + request.body();
    } else if (target == "/limited") {
      r.result(http::status::too_many_requests);
      r.set(http::field::retry_after, "7");
      r.body() = "slow down";
    } else if (target == "/moved") {
      r.result(http::status::found);
      r.set(http::field::location, "/json");
    } else if (target == "/big") {
      r.body() = std::string(1 << 20, 'x');
    } else if (target == "/slow") {
      asio::steady_timer wait(co_await asio::this_coro::executor, 2s);
      co_await wait.async_wait(asio::use_awaitable);
      r.body() = "late";
    } else {
      r.result(http::status::not_found);
    }
    r.prepare_payload();
    co_return r;
  }
  http_response refuse(http::status status, std::string_view reason) override {
    http_response r{status, 11};
    r.body() = std::string(reason);
    r.prepare_payload();
    return r;
  }
};

class http_fetch_test : public ::testing::Test {
 protected:
  asio::io_context server_io;
  std::shared_ptr<http_server> server = std::make_shared<http_server>(server_io.get_executor(), std::make_shared<fixture>());
  std::uint16_t port = server->listen({asio::ip::address_v4::loopback(), 0}).port();
  std::thread server_thread;
  asio::io_context client_io;
  asio::executor_work_guard<asio::io_context::executor_type> client_work{client_io.get_executor()};
  std::thread client_thread{[this] { client_io.run(); }};
  std::optional<http_client> client{std::in_place, client_io.get_executor()};

  void SetUp() override {
    server->start();
    server_thread = std::thread([this] { server_io.run(); });
  }
  void TearDown() override {
    client.reset();
    client_work.reset();
    client_thread.join();
    server->stop();
    server_io.stop();
    server_thread.join();
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port) + path; }
  static http_fetch_request get(std::string url) {
    http_fetch_request r;
    r.url = std::move(url);
    return r;
  }
};

TEST_F(http_fetch_test, AGetReturnsStatusHeadersAndBody) {
  auto r = fetch(*client, get(url("/json")));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, R"({"ok":true})");
  EXPECT_EQ(r->header("Content-Type"), "application/json");
  EXPECT_EQ(r->header("x-missing"), std::nullopt);
}

TEST_F(http_fetch_test, APostCarriesItsHeadersAndBody) {
  auto request = get(url("/echo"));
  request.method = "POST";
  request.headers = {{"X-Test", "yes"}, {"Content-Type", "application/json"}};
  request.body = R"({"q":1})";
  auto r = fetch(*client, request);
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->body, R"(POST yes {"q":1})");
}

TEST_F(http_fetch_test, StatusesAreRepliesAndRedirectsAreFollowed) {
  auto limited = fetch(*client, get(url("/limited")));
  ASSERT_TRUE(limited) << limited.error();
  EXPECT_EQ(limited->status, 429);
  EXPECT_EQ(limited->header("retry-after"), "7");
  auto missing = fetch(*client, get(url("/nothing")));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  auto moved = fetch(*client, get(url("/moved")));
  ASSERT_TRUE(moved) << moved.error();
  EXPECT_EQ(moved->status, 200);
  EXPECT_EQ(moved->final_url, url("/json"));
  EXPECT_EQ(moved->header("location"), std::nullopt);  // the final response's headers only
}

TEST_F(http_fetch_test, ABodyOverTheBoundIsAnError) {
  auto request = get(url("/big"));
  request.max_body_bytes = 1000;
  auto r = fetch(*client, request);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("larger than 1000 bytes"), std::string::npos) << r.error();
}

TEST_F(http_fetch_test, ASlowServerIsATimeout) {
  auto request = get(url("/slow"));
  request.timeout = 200ms;
  auto r = fetch(*client, request);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().find("no complete response within 200 ms"), std::string::npos) << r.error();
}

TEST_F(http_fetch_test, TransportFailuresAndBadRequestsAreErrorsWithoutSecrets) {
  auto refused = fetch(*client, get("http://user:secret@127.0.0.1:1/x?token=t"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().find("secret"), std::string::npos) << refused.error();
  EXPECT_EQ(refused.error().find("token"), std::string::npos) << refused.error();
  auto split = get(url("/json"));
  split.headers = {{"X-Bad", "a\r\nInjected: 1"}};
  EXPECT_FALSE(fetch(*client, split));
  auto put = get(url("/json"));
  put.method = "PUT";
  EXPECT_FALSE(fetch(*client, put));
}

}  // namespace
}  // namespace spence::net
