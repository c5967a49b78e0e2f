#include "resolvers/api_caller.hpp"

#include <charconv>
#include <thread>

namespace spence::resolvers {

namespace {

// Retry-After in seconds (the HTTP-date form is not used by the services spence calls: none).
std::optional<std::chrono::seconds> retry_after(const net::http_fetch_reply& reply) {
  const auto value = reply.header("retry-after");
  if (!value) return std::nullopt;
  std::int64_t seconds = 0;
  const auto [end, ec] = std::from_chars(value->data(), value->data() + value->size(), seconds);
  if (ec != std::errc{} || end != value->data() + value->size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(std::min<std::int64_t>(seconds, 86'400));
}

bool worth_retrying(const net::http_fetch_result& r) { return !r || r->status >= 500; }

}  // namespace

api_caller::api_caller(net::http_client_thread& http, api_call_policy policy) : http_(http), policy_(policy) {}

std::chrono::milliseconds api_caller::backoff(int attempt) {
  const auto base = policy_.first_backoff * (1 << std::min(attempt, 10));
  std::lock_guard lock(mutex_);
  std::uniform_real_distribution<double> spread(0.5, 1.5);
  return std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * spread(jitter_)));
}

net::http_fetch_result api_caller::fetch(const net::http_fetch_request& request) {
  {
    std::unique_lock lock(mutex_);
    ++stats_.requests;
    if (std::chrono::steady_clock::now() < limited_until_) {
      ++stats_.refused_while_limited;
      return last_limit_;
    }
    slot_free_.wait(lock, [this] { return in_flight_ < policy_.max_concurrent; });
    ++in_flight_;
  }
  struct release {
    api_caller& self;
    ~release() {
      {
        std::lock_guard lock(self.mutex_);
        --self.in_flight_;
      }
      self.slot_free_.notify_one();
    }
  } on_exit{*this};

  net::http_fetch_result result = net::fetch(http_.client(), request);
  for (int attempt = 0; attempt < policy_.max_retries; ++attempt) {
    std::chrono::milliseconds wait{0};
    if (result && result->status == 429) {
      const auto after = retry_after(*result).value_or(std::chrono::seconds(1));
      std::lock_guard lock(mutex_);
      ++stats_.rate_limited;
      if (after > policy_.longest_wait) {
        limited_until_ = std::chrono::steady_clock::now() + after;
        last_limit_ = *result;
        return result;
      }
      wait = after;
    } else if (worth_retrying(result)) {
      wait = backoff(attempt);
    } else {
      return result;
    }
    {
      std::lock_guard lock(mutex_);
      ++stats_.retries;
    }
    std::this_thread::sleep_for(wait);
    result = net::fetch(http_.client(), request);
  }
  if (result && result->status == 429) {
    std::lock_guard lock(mutex_);
    ++stats_.rate_limited;
  }
  return result;
}

api_call_stats api_caller::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace spence::resolvers
