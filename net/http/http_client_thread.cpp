#include "net/http/http_client_thread.hpp"

namespace spence::net {

http_client_thread::http_client_thread(http_options defaults)
    : work_(io_.get_executor()), thread_([this] { io_.run(); }) {
  client_.emplace(io_.get_executor(), std::move(defaults));
}

http_client_thread::~http_client_thread() {
  // The client's destructor only schedules the end of its transfers; the context must run them.
  client_.reset();
  work_.reset();
  thread_.join();
}

}  // namespace spence::net
