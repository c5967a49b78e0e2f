#pragma once
// How an HTTP source fetches: time limits, redirects, the read-ahead window and resumption.
// An http_client carries defaults; http_source::open may override them per source.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace spence::net {

struct http_options {
  // TCP (and TLS) connection set-up, per request.
  std::chrono::milliseconds connect_timeout{10'000};
  // No byte (header or body) for this long -> media_error(timeout). Time spent paused because the
  // read-ahead window is full does not count: the reader, not the server, is slow then.
  std::chrono::milliseconds stall_timeout{15'000};
  long max_redirects = 5;
  std::string user_agent = "spence/0.1";
  // Bytes fetched ahead of the reader: about 6 s of 320 kbit/s audio. Raised to at least one curl
  // write (CURL_MAX_WRITE_SIZE, 16 KiB), since curl hands over a write whole or not at all.
  std::size_t read_ahead_bytes = 256 * 1024;
  // Resumptions (Range from the last byte received) after a connection breaks, counted since the
  // last attempt that delivered a new byte; the first is immediate, then resume_backoff doubling.
  int max_resume_attempts = 3;
  std::chrono::milliseconds resume_backoff{250};
  // When a server ignores Range, the bytes before the wanted offset are read and dropped; beyond
  // this many the source fails with limit_exceeded instead.
  std::uint64_t max_discard_bytes = 8 * 1024 * 1024;
  // Extra request header lines ("Name: value"), e.g. "Icy-MetaData: 1" for radio streams' titles.
  std::vector<std::string> request_headers;
};

}  // namespace spence::net
