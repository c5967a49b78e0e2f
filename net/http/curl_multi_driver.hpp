#pragma once
// libcurl's multi-socket interface driven by Asio. curl says which sockets to wait on and when to
// wake it up; the driver waits with Asio (epoll) and calls curl back. Everything touching the multi
// handle or its easy handles runs on one strand, since libcurl allows one thread at a time per
// handle and calls back into whoever called it. Not for use outside net/http.
//
// The sockets belong to curl: the driver watches them through stream_descriptors that it releases
// (never closes) when curl reports CURL_POLL_REMOVE, which curl does before it closes a socket.
// Wait handlers hold the watch they were started for, so a wait completing after its socket was
// removed, or after the descriptor number was reused by a new connection, changes nothing.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <curl/curl.h>

#include <memory>
#include <unordered_map>

namespace spence::net {

using http_strand = boost::asio::strand<boost::asio::any_io_executor>;

class curl_multi_driver : public std::enable_shared_from_this<curl_multi_driver> {
 public:
  // Owns an easy handle that the driver runs.
  class transfer {
   public:
    virtual ~transfer() = default;
    // The transfer ended with `result`; its handle was already removed from the multi handle.
    virtual void on_done(CURLcode result) = 0;
    // The driver closed (its client is gone); the handle was already removed.
    virtual void on_closed() = 0;
  };

  // Throws std::runtime_error if libcurl cannot be initialized.
  explicit curl_multi_driver(http_strand strand);
  ~curl_multi_driver();
  curl_multi_driver(const curl_multi_driver&) = delete;
  curl_multi_driver& operator=(const curl_multi_driver&) = delete;

  // The rest runs on the strand.

  // Starts `easy`, keeping `owner` alive until on_done, on_closed or remove(). The owner stays
  // enlisted until forget(): close() tells it even while it waits between two handles (a resume's
  // backoff). False once closed.
  bool add(CURL* easy, const std::shared_ptr<transfer>& owner);
  // Stops `easy` (if it runs) without calling its owner.
  void remove(CURL* easy);
  // The owner is done with the driver: close() need not tell it.
  void forget(const transfer* owner);
  // Ends every transfer (on_closed), frees the multi handle and cancels every wait. Idempotent.
  void close();

  const http_strand& strand() const noexcept { return strand_; }

 private:
  struct socket_watch;

  static int on_socket(CURL* easy, curl_socket_t socket, int what, void* self, void* socket_data);
  static int on_timer(CURLM* multi, long timeout_ms, void* self);
  int watch(curl_socket_t socket, int what);
  void arm(const std::shared_ptr<socket_watch>& watch);
  void on_ready(const std::shared_ptr<socket_watch>& watch, int event, const boost::system::error_code& ec);
  void act(curl_socket_t socket, int events);
  void finish_done_transfers();

  http_strand strand_;
  CURLM* multi_ = nullptr;
  boost::asio::steady_timer timer_;
  std::unordered_map<curl_socket_t, std::shared_ptr<socket_watch>> sockets_;
  std::unordered_map<CURL*, std::shared_ptr<transfer>> transfers_;   // running handles
  std::unordered_map<const transfer*, std::weak_ptr<transfer>> enlisted_;
  // Set while close() runs: curl then reports removals and timer changes that must not start waits.
  bool closing_ = false;
};

}  // namespace spence::net
