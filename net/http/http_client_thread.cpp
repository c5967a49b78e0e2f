#include "net/http/http_client_thread.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

namespace spence::net {

struct http_client_thread::running {
  explicit running(http_options defaults) : work(io.get_executor()), thread([this] { io.run(); }) {
    client.emplace(io.get_executor(), std::move(defaults));
  }
  ~running() {
    // The client's destructor only schedules the end of its transfers; the context must run them.
    client.reset();
    work.reset();
    thread.join();
  }

  boost::asio::io_context io;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work;
  std::thread thread;
  std::optional<http_client> client;
};

http_client_thread::http_client_thread(http_options defaults) : defaults_(std::move(defaults)) {}

http_client_thread::~http_client_thread() = default;

http_client& http_client_thread::client() {
  std::lock_guard lock(mutex_);
  if (!running_) running_ = std::make_unique<running>(defaults_);
  return *running_->client;
}

}  // namespace spence::net
