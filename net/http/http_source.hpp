#pragma once
// An HTTP(S) resource as a byte source: a GET streamed into a bounded read-ahead window by the
// client's strand, read by one decoder thread.
//
// - open() blocks until the response head arrived (after redirects) and throws media_error when
//   it is an error: http_status (>= 400, the status in the message), network (DNS, connect, TLS,
//   the client closed), timeout (connect or stall), limit_exceeded (redirects), malformed.
// - read() blocks until bytes arrive, the stream ends or fails (stalls end in timeout, so it never
//   waits forever while the client's executor runs). Bytes received before a failure are read
//   first. A broken connection is resumed from the last byte received, invisibly to read().
// - available() never exceeds options.read_ahead_bytes (raised to at least 16 KiB): curl's
//   writes (at most CURL_MAX_WRITE_SIZE bytes each) enter the window whole or pause the transfer.
// - seekable() when the server advertised "Accept-Ranges: bytes" or answered a Range request with
//   206; false for good once it ignored one. seek() within the buffered bytes is free; otherwise
//   it starts a request with "Range: bytes=<offset>-". Seeking at or past a known size reads the end.
// - name() is the URL without userinfo, query or fragment.
// - body() is what the response said its body is (Content-Type, ICY headers); stream_title() the
//   latest ICY StreamTitle of a radio stream (http_transfer strips the metadata blocks), or the
//   station's icy-name until the first one.
//
// Threads: call open(), read() and seek() from a thread that is not running the client's
// executor (they wait for it), one thread at a time. Destroying the source at any point cancels
// its transfer on the strand without waiting; nothing calls back into the destroyed source.

#include "engine/byte_source.hpp"
#include "net/http/http_client.hpp"
#include "net/http/http_response_head.hpp"

#include <memory>
#include <string_view>

namespace spence::net {

class http_transfer;
class read_ahead_window;

class http_source final : public engine::byte_source {
 public:
  static std::unique_ptr<http_source> open(http_client& client, std::string_view url);
  static std::unique_ptr<http_source> open(http_client& client, std::string_view url, const http_options& options);
  ~http_source() override;
  http_source(const http_source&) = delete;
  http_source& operator=(const http_source&) = delete;

  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override;
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override;
  std::size_t available() const override;
  bool may_wait() const override;
  bool may_ever_wait() const override { return true; }
  const std::string& name() const override { return name_; }
  std::string stream_title() const override;
  body_description body() const;

 private:
  http_source(std::string name, std::shared_ptr<read_ahead_window> window, std::shared_ptr<http_transfer> transfer);
  // Lets the transfer go on once the reader made room for the write it paused on.
  void unpause_if_room();

  std::string name_;
  std::shared_ptr<read_ahead_window> window_;
  std::shared_ptr<http_transfer> transfer_;
};

}  // namespace spence::net
