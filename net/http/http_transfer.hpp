#pragma once
// The strand side of one http_source: a GET as a sequence of curl requests ("attempts") that
// together deliver the resource's bytes into the read-ahead window exactly once, in order.
//
// - The first attempt asks for the whole resource; its response (after redirects, up to the limit)
//   establishes the size (Content-Length, Content-Range) and whether Range works (Accept-Ranges:
//   bytes, or a 206). Later attempts go to the final URL of that redirect chain.
// - A seek is a new attempt with "Range: bytes=<offset>-" for a new window generation.
// - When an established transfer's connection breaks, a new attempt resumes from the last byte
//   received; after max_resume_attempts attempts with no new byte it fails. A 206 partial response
//   that ends before the resource does is continued the same way.
// - If the server answers a Range request with 200, the bytes before the wanted offset are dropped
//   (up to max_discard_bytes) and the source stops claiming to be seekable.
// - A full window pauses curl (CURL_WRITEFUNC_PAUSE); the reader asks for unpause() once the paused
//   write fits.
// - No byte for stall_timeout while not paused ends the attempt with media_error(timeout).
//
// Every member function runs on the client's strand. The transfer is shared: the driver holds it
// while its handle runs, and each pending timer or posted call holds it, so curl and Asio never
// call into a destroyed transfer.

#include "engine/media_error.hpp"
#include "net/http/curl_failure.hpp"
#include "net/http/curl_multi_driver.hpp"
#include "net/http/http_options.hpp"
#include "net/http/http_response_head.hpp"
#include "net/http/icy_metadata.hpp"
#include "net/http/read_ahead_window.hpp"

#include <chrono>
#include <memory>
#include <string>

namespace spence::net {

class http_transfer final : public curl_multi_driver::transfer,
                            public std::enable_shared_from_this<http_transfer> {
 public:
  http_transfer(const std::shared_ptr<curl_multi_driver>& driver, std::string url, std::string name,
                http_options options, std::shared_ptr<read_ahead_window> window);

  // The first request.
  void start();
  // A seek: drop the current attempt and fetch from `offset` for `generation`, unless a newer
  // generation is already on its way.
  void restart(std::uint64_t generation, std::uint64_t offset);
  // The reader made room for the write curl was paused on.
  void unpause(std::uint64_t generation);
  // The source is gone: stop for good.
  void cancel();

  const http_strand& strand() const noexcept { return strand_; }

 private:
  struct easy_cleanup {
    void operator()(CURL* easy) const noexcept { curl_easy_cleanup(easy); }
  };
  struct slist_cleanup {
    void operator()(curl_slist* list) const noexcept { curl_slist_free_all(list); }
  };

  void on_done(CURLcode result) override;
  void on_closed() override;

  static std::size_t on_header(char* data, std::size_t size, std::size_t count, void* self);
  static std::size_t on_body(char* data, std::size_t size, std::size_t count, void* self);
  std::size_t take_body(std::span<const std::uint8_t> bytes);
  // Hands bytes to the window: nullopt when it took them, else what the write callback returns
  // (pause when full, 0 for a stale generation).
  std::optional<std::size_t> offer(std::span<const std::uint8_t> bytes);
  // take_body for an ICY stream: the write's audio into the window, its titles noted.
  std::size_t take_icy_body(std::span<const std::uint8_t> bytes);
  void note_icy_block(const std::string& block);

  void begin_attempt();
  CURLcode configure(CURL* easy);
  // Removes the current attempt's handle and voids its timers; idempotent.
  void end_attempt();
  // Checks the head of the response whose body starts (or that ended without one); on success the
  // window learns size and seekability. On failure the window has failed and the attempt must end.
  bool accept_response();
  // Schedules the next attempt from offset_, or fails with `reason` once the attempts are spent.
  void continue_or_fail(bool progressed, failure_reason reason);
  void watch_for_stall();
  void fail(engine::media_errc code, std::string_view detail);

  const std::weak_ptr<curl_multi_driver> driver_;
  const http_strand strand_;
  const std::string url_;
  const std::string name_;
  const http_options options_;
  const std::shared_ptr<read_ahead_window> window_;

  // The current attempt's handle. While it runs the driver holds this transfer, so a handle still
  // here when the transfer is destroyed is out of the multi handle.
  std::unique_ptr<CURL, easy_cleanup> easy_;
  std::unique_ptr<curl_slist, slist_cleanup> request_headers_;
  char curl_error_[CURL_ERROR_SIZE] = {};
  http_response_head head_;
  boost::asio::steady_timer stall_timer_;
  boost::asio::steady_timer resume_timer_;
  std::chrono::steady_clock::time_point last_progress_;

  std::string final_url_;           // where the last accepted response came from: later attempts start there
  std::uint64_t generation_ = 0;    // the window generation being fetched
  std::uint64_t attempt_id_ = 0;    // changes whenever an attempt begins or ends; voids stale timers
  std::uint64_t offset_ = 0;        // stream offset of the next byte for the window
  std::uint64_t attempt_offset_ = 0;  // offset_ when the current attempt began
  std::uint64_t discard_ = 0;       // bytes to drop before offset_ (a server that ignored Range)
  std::optional<std::uint64_t> size_;
  std::optional<icy_demuxer> icy_;  // an ICY stream's metadata interleaving
  std::string stream_title_;
  int resumes_without_progress_ = 0;
  bool response_checked_ = false;   // the current attempt's response head was accepted or rejected
  bool rejected_ = false;           // the current attempt was refused by a callback (failure or stale)
  bool established_ = false;        // some response was accepted
  bool seekable_ = false;
  bool range_ignored_ = false;      // sticky: a server that ignored Range once is not trusted to seek
  bool paused_ = false;
};

}  // namespace spence::net
