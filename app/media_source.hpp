#pragma once
// Opens what a user names on the command line (a path, or an http(s) URL): as a byte source for a
// player, or as engine media, with whatever must outlive them (the HTTP client and its I/O
// thread, started on the first URL).

#include "engine/byte_source.hpp"
#include "engine/media_open.hpp"
#include "net/http/http_client_thread.hpp"
#include "net/http/http_options.hpp"

#include <functional>
#include <memory>
#include <string>

namespace spence::app {

class source_opener {
 public:
  // `http`: how URLs are read (read-ahead, timeouts, retries).
  explicit source_opener(net::http_options http = {});
  ~source_opener();
  source_opener(const source_opener&) = delete;
  source_opener& operator=(const source_opener&) = delete;

  // Throws engine::media_error when the source cannot be opened. Any thread but the HTTP one.
  // URLs open through net::open_http_media (radio streams, HLS, playlist files, pages refused).
  std::unique_ptr<engine::byte_source> open(const std::string& source);

  // Where a resolver's track streams from now: asks the platform (blocking), throws media_error.
  using stream_locator = std::function<std::string()>;
  // A resolver's track: opened at locate()'s URL, and when that URL expires while it plays (HTTP
  // 403 or 410), opened again at a URL locate() gives then, at the byte position reached
  // (net::reopening_source). The opener owns re-opening; the resolver only says where.
  std::unique_ptr<engine::byte_source> open_located(stream_locator locate);

 private:
  net::http_options http_options_;
  net::http_client_thread http_;  // started by the first URL
};

struct open_source {
  std::shared_ptr<void> keep_alive;  // owned transport state; outlives the media taken from here
  engine::opened_media media;
};

// Throws engine::media_error when the source cannot be opened or read.
open_source open_media_source(const std::string& source);

}  // namespace spence::app
