#include "app/media_source.hpp"

#include "engine/file_source.hpp"
#include "net/http/http_client.hpp"
#include "net/http/http_source.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <optional>
#include <thread>

namespace spence::app {

// One I/O thread for the HTTP client. The blocking reads of the pipeline run on the caller's
// thread, which is what http_source requires (never the thread driving the client).
class source_opener::http_thread {
 public:
  http_thread() : work_(io_.get_executor()), thread_([this] { io_.run(); }), client_(std::in_place, io_.get_executor()) {}
  ~http_thread() {
    // The client's destructor only schedules the end of its transfers; the context must run them.
    client_.reset();
    work_.reset();
    thread_.join();
  }
  http_thread(const http_thread&) = delete;
  http_thread& operator=(const http_thread&) = delete;

  net::http_client& client() { return *client_; }

 private:
  boost::asio::io_context io_;
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
  std::optional<net::http_client> client_;
};

source_opener::source_opener(net::http_options http) : http_options_(std::move(http)) {}
source_opener::~source_opener() = default;

std::unique_ptr<engine::byte_source> source_opener::open(const std::string& source) {
  if (!source.starts_with("http://") && !source.starts_with("https://"))
    return std::make_unique<engine::file_source>(source);
  net::http_client* client = nullptr;
  {
    std::lock_guard lock(mutex_);
    if (!http_) http_ = std::make_unique<http_thread>();
    client = &http_->client();
  }
  return net::http_source::open(*client, source, http_options_);
}

open_source open_media_source(const std::string& source) {
  auto opener = std::make_shared<source_opener>();
  open_source opened;
  opened.media = engine::open_media(opener->open(source));
  opened.keep_alive = std::move(opener);
  return opened;
}

}  // namespace spence::app
