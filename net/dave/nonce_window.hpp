#pragma once
// Decrypt each key/nonce at most once (whitepaper "Truncated synchronization nonce"): the newest
// nonce decrypted and the nonces skipped below it, which may still arrive out of order. The
// skipped list is bounded (1000, libdave's kMaxMissingNonces); a nonce that fell off it counts as
// seen, so a replay can never get through, only a very late frame be refused.
//
// Nonces here are wrapped (protocol_frame.hpp's wrapped_nonce), unique across the truncated
// nonce's wraps. The window learns only from frames that authenticated, so forged frames cannot
// move it.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>

namespace spence::net::dave {

inline constexpr std::size_t max_missing_nonces = 1000;

class nonce_window {
 public:
  // Whether `nonce` was not decrypted before, as far as the window can tell.
  bool fresh(std::uint64_t nonce) const noexcept;
  // Records a decrypted nonce: one above the newest moves the newest and lists the nonces it
  // skipped; one below leaves the skipped list.
  void record(std::uint64_t nonce);

  std::size_t missing() const noexcept { return missing_.size(); }

 private:
  std::optional<std::uint64_t> newest_;
  std::deque<std::uint64_t> missing_;  // ascending, all below newest_
};

}  // namespace spence::net::dave
