// The platforms' API caller against spence's HTTP server on loopback: 5xx answers and refused
// connections retried with backoff, a short Retry-After waited out, a long one answered at once
// for every request until it passes, and never more requests at once than the policy allows.

#include "resolvers/api_caller.hpp"

#include "net/http/http_client_thread.hpp"
#include "net/http/http_server.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <thread>

namespace spence::resolvers {
namespace {

namespace asio = boost::asio;
namespace http = boost::beast::http;
using namespace std::chrono_literals;

// /flaky: 503 for the first two requests, then 200. /brief-limit: 429 "Retry-After: 0" once,
// then 200. /long-limit: 429 "Retry-After: 60". /slow: 200 after 50 ms, counting how many overlap.
class flaky_service final : public net::http_handler {
 public:
  std::mutex mutex;
  std::map<std::string, int> seen;
  std::atomic<int> running{0}, most_running{0};

  asio::awaitable<net::http_answer> answer(const net::http_request& request) override {
    const std::string path(request.target());
    int n = 0;
    {
      std::lock_guard lock(mutex);
      n = ++seen[path];
    }
    net::http_response r{http::status::ok, request.version()};
    if (path == "/flaky" && n <= 2) r.result(http::status::service_unavailable);
    if (path == "/brief-limit" && n == 1) {
      r.result(http::status::too_many_requests);
      r.set(http::field::retry_after, "0");
    }
    if (path == "/long-limit") {
      r.result(http::status::too_many_requests);
      r.set(http::field::retry_after, "60");
    }
    if (path == "/slow") {
      const int now = ++running;
      for (int most = most_running; now > most && !most_running.compare_exchange_weak(most, now);) {
      }
      asio::steady_timer wait(co_await asio::this_coro::executor, 50ms);
      co_await wait.async_wait(asio::use_awaitable);
      --running;
    }
    r.body() = "ok";
    r.prepare_payload();
    co_return r;
  }
  net::http_response refuse(http::status status, std::string_view) override { return net::http_response{status, 11}; }
  int requests(const std::string& path) {
    std::lock_guard lock(mutex);
    return seen[path];
  }
};

class api_caller_test : public ::testing::Test {
 protected:
  asio::io_context io;
  std::shared_ptr<flaky_service> service = std::make_shared<flaky_service>();
  std::shared_ptr<net::http_server> server = std::make_shared<net::http_server>(io.get_executor(), service);
  std::uint16_t port = server->listen({asio::ip::address_v4::loopback(), 0}).port();
  std::thread thread;
  net::http_client_thread http;
  api_call_policy quick{.max_concurrent = 2, .max_retries = 2, .first_backoff = 10ms, .longest_wait = 2'000ms};

  void SetUp() override {
    server->start();
    thread = std::thread([this] { io.run(); });
  }
  void TearDown() override {
    server->stop();
    io.stop();
    thread.join();
  }
  net::http_fetch_request get(const std::string& path) const {
    net::http_fetch_request r;
    r.url = "http://127.0.0.1:" + std::to_string(port) + path;
    return r;
  }
};

TEST_F(api_caller_test, FailuresAreRetriedUntilTheServiceAnswers) {
  api_caller caller(http, quick);
  auto r = caller.fetch(get("/flaky"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(service->requests("/flaky"), 3);
  EXPECT_EQ(caller.stats().retries, 2u);
  auto refused = caller.fetch([] {
    net::http_fetch_request r;
    r.url = "http://127.0.0.1:1/nothing";
    return r;
  }());
  EXPECT_FALSE(refused);
  EXPECT_EQ(caller.stats().retries, 4u);
}

TEST_F(api_caller_test, AShortRetryAfterIsWaitedOut) {
  api_caller caller(http, quick);
  auto r = caller.fetch(get("/brief-limit"));
  ASSERT_TRUE(r) << r.error();
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(caller.stats().rate_limited, 1u);
}

TEST_F(api_caller_test, DuringALongRetryAfterTheServiceIsNotAskedAgain) {
  api_caller caller(http, quick);
  auto first = caller.fetch(get("/long-limit"));
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 429);
  auto second = caller.fetch(get("/slow"));  // any request to the platform
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 429);
  EXPECT_EQ(second->header("retry-after"), "60");
  EXPECT_EQ(service->requests("/slow"), 0);
  EXPECT_EQ(caller.stats().refused_while_limited, 1u);
}

TEST_F(api_caller_test, NoMoreRequestsAtOnceThanThePolicyAllows) {
  api_caller caller(http, quick);
  std::vector<std::thread> callers;
  for (int i = 0; i < 6; ++i) callers.emplace_back([&] { EXPECT_TRUE(caller.fetch(get("/slow"))); });
  for (auto& t : callers) t.join();
  EXPECT_EQ(service->requests("/slow"), 6);
  EXPECT_LE(service->most_running.load(), 2);
  EXPECT_GE(service->most_running.load(), 1);
}

}  // namespace
}  // namespace spence::resolvers
