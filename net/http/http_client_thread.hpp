#pragma once
// An http_client with an I/O thread of its own, for code whose blocking reads (http_source,
// fetch) run on other threads, which is what those require: never on the thread driving the client.
// Nothing starts until the first client(): a node that never fetches pays neither the thread nor
// curl's set-up (about 2 MB of resident memory). Destruction ends the client's transfers, then
// the thread.

#include "net/http/http_client.hpp"

#include <memory>
#include <mutex>

namespace spence::net {

class http_client_thread {
 public:
  explicit http_client_thread(http_options defaults = {});
  ~http_client_thread();
  http_client_thread(const http_client_thread&) = delete;
  http_client_thread& operator=(const http_client_thread&) = delete;

  // Starts the thread and the client on the first call. Any thread.
  http_client& client();

 private:
  struct running;
  http_options defaults_;
  std::mutex mutex_;
  std::unique_ptr<running> running_;
};

}  // namespace spence::net
