#pragma once
// HTTP options for tests against loopback servers: failures show within seconds, resumes are
// immediate, and a small read-ahead window makes pauses and refills happen.

#include "net/http/http_options.hpp"

namespace spence::test {

inline net::http_options quick_http_options() {
  using namespace std::chrono_literals;
  net::http_options options;
  options.connect_timeout = 2s;
  options.stall_timeout = 2s;
  options.resume_backoff = 5ms;
  options.read_ahead_bytes = 64 * 1024;
  return options;
}

}  // namespace spence::test
