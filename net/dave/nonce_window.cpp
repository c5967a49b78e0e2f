#include "net/dave/nonce_window.hpp"

#include <algorithm>

namespace spence::net::dave {

bool nonce_window::fresh(std::uint64_t nonce) const noexcept {
  if (!newest_ || nonce > *newest_) return true;
  return std::binary_search(missing_.begin(), missing_.end(), nonce);
}

void nonce_window::record(std::uint64_t nonce) {
  if (!newest_) {
    newest_ = nonce;
    return;
  }
  if (nonce <= *newest_) {
    const auto it = std::lower_bound(missing_.begin(), missing_.end(), nonce);
    if (it != missing_.end() && *it == nonce) missing_.erase(it);
    return;
  }
  // Only the last max_missing_nonces skipped nonces can be listed; older ones drop off the front.
  const std::uint64_t skipped = std::min<std::uint64_t>(nonce - *newest_ - 1, max_missing_nonces);
  while (!missing_.empty() && missing_.size() + skipped > max_missing_nonces) missing_.pop_front();
  for (std::uint64_t n = nonce - skipped; n < nonce; ++n) missing_.push_back(n);
  newest_ = nonce;
}

}  // namespace spence::net::dave
