#pragma once
// What the loopback stand-ins of the platforms share: spence's own HTTP server on 127.0.0.1 on a
// thread of its own, every request counted by path and handed to the stand-in's route as method,
// path, query parameters and body; JSON answers read from a fixtures folder with `{{base}}`
// replaced by the server's address (so URLs in them point back at it).

#include "net/http/http_server.hpp"

#include <boost/asio/io_context.hpp>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace spence::test {

struct fixture_request {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower case
};

struct fixture_response {
  unsigned status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
};

fixture_response reply_with(unsigned status, std::string body, std::string content_type = "application/json");

class fixture_server {
 public:
  // `route` answers every request, on the server's thread.
  explicit fixture_server(std::function<fixture_response(const fixture_request&)> route);
  ~fixture_server();
  fixture_server(const fixture_server&) = delete;
  fixture_server& operator=(const fixture_server&) = delete;

  std::string base() const;  // http://127.0.0.1:PORT
  // Requests so far whose path starts with `prefix`.
  int requests(const std::string& prefix) const;
  // `dir`/`file` as a 200 JSON answer, `{{base}}` replaced.
  fixture_response json_file(const std::string& dir, const std::string& file) const;

 private:
  class handler;
  boost::asio::io_context io_;
  std::shared_ptr<handler> handler_;
  std::shared_ptr<net::http_server> server_;
  std::uint16_t port_ = 0;
  std::thread thread_;
};

}  // namespace spence::test
