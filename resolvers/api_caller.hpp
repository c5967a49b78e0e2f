#pragma once
// How a platform's resolver calls its service's API politely and robustly: at most
// `max_concurrent` requests at once per platform; transport failures and 5xx answers retried with
// jittered, doubling backoff; a 429 honoured: its Retry-After waited out when short, and while a
// longer one runs, every request answered at once with that 429 instead of asking again.
// Blocking (resolvers run on the router's work pool); thread-safe.

#include "net/http/http_client_thread.hpp"
#include "net/http/http_fetch.hpp"

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

namespace spence::resolvers {

struct api_call_policy {
  std::size_t max_concurrent = 4;
  int max_retries = 2;                              // after the first attempt
  std::chrono::milliseconds first_backoff{250};     // then doubled, each +-50% jitter
  std::chrono::milliseconds longest_wait{5'000};    // a Retry-After longer than this is not waited out
};

struct api_call_stats {
  std::uint64_t requests = 0;
  std::uint64_t retries = 0;
  std::uint64_t rate_limited = 0;  // 429s received
  std::uint64_t refused_while_limited = 0;
};

class api_caller {
 public:
  // `http` starts at the first request.
  api_caller(net::http_client_thread& http, api_call_policy policy = {});

  // The reply (a 429 among them once retries are spent or the wait is too long), or the
  // transport failure after the retries.
  net::http_fetch_result fetch(const net::http_fetch_request& request);
  api_call_stats stats() const;

 private:
  std::chrono::milliseconds backoff(int attempt);

  net::http_client_thread& http_;
  api_call_policy policy_;
  mutable std::mutex mutex_;
  std::condition_variable slot_free_;
  std::size_t in_flight_ = 0;
  std::chrono::steady_clock::time_point limited_until_{};
  net::http_fetch_reply last_limit_;  // the 429 that set limited_until_
  std::minstd_rand jitter_{0x5eed};
  api_call_stats stats_;
};

}  // namespace spence::resolvers
