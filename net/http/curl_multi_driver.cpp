#include "net/http/curl_multi_driver.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>

#include <stdexcept>

namespace spence::net {
namespace {

using boost::asio::posix::descriptor_base;

void initialize_curl_once() {
  // Thread-safe in this libcurl (built "threadsafe"); done once for the process, never undone,
  // since other users of libcurl or OpenSSL in the process may still need it.
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (result != CURLE_OK)
    throw std::runtime_error(std::string("libcurl initialization failed: ") + curl_easy_strerror(result));
}

}  // namespace

struct curl_multi_driver::socket_watch {
  socket_watch(const http_strand& strand, curl_socket_t fd) : descriptor(strand), socket(fd) {}
  // A stream_descriptor closes what it holds; the socket is curl's, so it is only ever let go.
  ~socket_watch() { let_go(); }
  socket_watch(const socket_watch&) = delete;
  socket_watch& operator=(const socket_watch&) = delete;

  // Cancels the waits (their handlers still run, and see `removed`) and leaves the socket to curl.
  void let_go() {
    removed = true;
    if (descriptor.is_open()) descriptor.release();
  }

  boost::asio::posix::stream_descriptor descriptor;
  curl_socket_t socket;
  int wanted = CURL_POLL_NONE;  // CURL_POLL_IN, _OUT or _INOUT, as curl last said
  bool reading = false;         // a read wait is pending
  bool writing = false;         // a write wait is pending
  bool removed = false;         // curl is done with the socket; pending waits must do nothing
};

curl_multi_driver::curl_multi_driver(http_strand strand) : strand_(std::move(strand)), timer_(strand_) {
  initialize_curl_once();
  multi_ = curl_multi_init();
  if (multi_ == nullptr) throw std::runtime_error("curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &curl_multi_driver::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &curl_multi_driver::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

// The last reference is gone, so no handler of this driver runs or will run: closing here, on
// whichever thread, is exclusive. Normally close() already ran on the strand.
curl_multi_driver::~curl_multi_driver() { close(); }

bool curl_multi_driver::add(CURL* easy, const std::shared_ptr<transfer>& owner) {
  if (multi_ == nullptr) return false;
  transfers_.emplace(easy, owner);
  if (curl_multi_add_handle(multi_, easy) != CURLM_OK) {
    transfers_.erase(easy);
    return false;
  }
  enlisted_.insert_or_assign(owner.get(), owner);
  return true;
}

void curl_multi_driver::remove(CURL* easy) {
  // The owner stays alive (in `node`) until its handle is out of the multi handle.
  auto node = transfers_.extract(easy);
  if (!node.empty()) curl_multi_remove_handle(multi_, easy);
}

void curl_multi_driver::forget(const transfer* owner) { enlisted_.erase(owner); }

void curl_multi_driver::close() {
  if (multi_ == nullptr) return;
  closing_ = true;
  // Every running owner is enlisted; these references keep them alive until told.
  const auto running = std::move(transfers_);
  transfers_.clear();
  for (const auto& [easy, owner] : running) curl_multi_remove_handle(multi_, easy);
  const auto enlisted = std::move(enlisted_);
  enlisted_.clear();
  for (const auto& [key, weak_owner] : enlisted)
    if (const auto owner = weak_owner.lock()) owner->on_closed();
  curl_multi_cleanup(multi_);  // closes cached connections, reporting their removal first
  multi_ = nullptr;
  for (const auto& [socket, watch] : sockets_) watch->let_go();
  sockets_.clear();
  timer_.cancel();
}

int curl_multi_driver::on_socket(CURL*, curl_socket_t socket, int what, void* self, void*) {
  return static_cast<curl_multi_driver*>(self)->watch(socket, what);
}

int curl_multi_driver::watch(curl_socket_t socket, int what) {
  if (what == CURL_POLL_REMOVE) {
    if (auto it = sockets_.find(socket); it != sockets_.end()) {
      it->second->let_go();  // curl closes the socket right after this callback
      sockets_.erase(it);
    }
    return 0;
  }
  if (closing_) return 0;
  try {
    auto it = sockets_.find(socket);
    if (it == sockets_.end()) {
      auto fresh = std::make_shared<socket_watch>(strand_, socket);
      boost::system::error_code ec;
      fresh->descriptor.assign(socket, ec);
      if (ec) return -1;  // curl fails the transfer
      it = sockets_.emplace(socket, std::move(fresh)).first;
    }
    it->second->wanted = what;
    arm(it->second);
    return 0;
  } catch (const std::exception&) {
    return -1;  // no exception may cross libcurl's C frames
  }
}

void curl_multi_driver::arm(const std::shared_ptr<socket_watch>& watch) {
  if ((watch->wanted & CURL_POLL_IN) != 0 && !watch->reading) {
    watch->reading = true;
    watch->descriptor.async_wait(descriptor_base::wait_read,
                                 [self = shared_from_this(), watch](const boost::system::error_code& ec) {
                                   watch->reading = false;
                                   self->on_ready(watch, CURL_POLL_IN, ec);
                                 });
  }
  if ((watch->wanted & CURL_POLL_OUT) != 0 && !watch->writing) {
    watch->writing = true;
    watch->descriptor.async_wait(descriptor_base::wait_write,
                                 [self = shared_from_this(), watch](const boost::system::error_code& ec) {
                                   watch->writing = false;
                                   self->on_ready(watch, CURL_POLL_OUT, ec);
                                 });
  }
}

void curl_multi_driver::on_ready(const std::shared_ptr<socket_watch>& watch, int event,
                                 const boost::system::error_code& ec) {
  if (watch->removed || ec == boost::asio::error::operation_aborted) return;
  if (ec) {
    // Not re-armed: a descriptor that fails every wait would spin. curl drops the connection, or
    // the transfer's stall timer ends it.
    act(watch->socket, CURL_CSELECT_ERR);
    return;
  }
  // A wait started before curl changed its interest may complete for an event curl no longer wants.
  if ((watch->wanted & event) != 0) act(watch->socket, event == CURL_POLL_IN ? CURL_CSELECT_IN : CURL_CSELECT_OUT);
  if (!watch->removed) arm(watch);
}

int curl_multi_driver::on_timer(CURLM*, long timeout_ms, void* self) {
  auto& driver = *static_cast<curl_multi_driver*>(self);
  if (driver.closing_) return 0;
  try {
    if (timeout_ms < 0) {
      driver.timer_.cancel();
      return 0;
    }
    // curl must not be called from inside its own callback: even a 0 ms timeout goes through the timer.
    driver.timer_.expires_after(std::chrono::milliseconds(timeout_ms));
    driver.timer_.async_wait([self = driver.shared_from_this()](const boost::system::error_code& ec) {
      if (!ec) self->act(CURL_SOCKET_TIMEOUT, 0);
    });
    return 0;
  } catch (const std::exception&) {
    return -1;
  }
}

void curl_multi_driver::act(curl_socket_t socket, int events) {
  if (multi_ == nullptr) return;
  int running = 0;
  curl_multi_socket_action(multi_, socket, events, &running);
  finish_done_transfers();
}

void curl_multi_driver::finish_done_transfers() {
  int queued = 0;
  while (CURLMsg* message = curl_multi_info_read(multi_, &queued)) {
    if (message->msg != CURLMSG_DONE) continue;
    // The message dies with the handle's removal: copy what it says first.
    CURL* easy = message->easy_handle;
    const CURLcode result = message->data.result;
    auto node = transfers_.extract(easy);
    curl_multi_remove_handle(multi_, easy);
    if (!node.empty()) node.mapped()->on_done(result);
  }
}

}  // namespace spence::net
