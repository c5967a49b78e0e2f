#pragma once
// An http_client with an I/O thread of its own, for code whose blocking reads (http_source,
// fetch) run on other threads, which is what those require: never on the thread driving the client.
// Destruction ends the client's transfers, then the thread.

#include "net/http/http_client.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

namespace spence::net {

class http_client_thread {
 public:
  explicit http_client_thread(http_options defaults = {});
  ~http_client_thread();
  http_client_thread(const http_client_thread&) = delete;
  http_client_thread& operator=(const http_client_thread&) = delete;

  http_client& client() { return *client_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::optional<http_client> client_;
};

}  // namespace spence::net
