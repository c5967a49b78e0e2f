#pragma once
// Why the DAVE frame decryptor refused a frame. Each reason is counted on its own, so a stream
// that stops playing says why (an old key, a replay, a peer that does not encrypt).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spence::net::dave {

enum class frame_rejection {
  // The protocol frame check (whitepaper "Protocol Frame Check") failed and passthrough is off:
  too_short,              // shorter than the least supplemental data (11 bytes)
  no_magic_marker,        // does not end with 0xFA 0xFA
  bad_supplemental_size,  // the size byte is below 11 or above the frame's size
  bad_nonce,              // the truncated nonce is not a ULEB128 value below 2^32
  bad_unencrypted_ranges, // not ULEB128 pairs, or out of order, overlapping or past the media
  // A protocol frame that could not be decrypted:
  no_key_ratchet,          // no epoch's ratchet for this sender yet
  replayed_nonce,          // this nonce was decrypted before (or fell out of the replay window)
  generation_expired,      // the generation's key is gone (older than the kept ones)
  generation_too_far,      // more than 250 generations past the newest decrypted one
  generation_beyond_age,   // a generation the sender cannot have reached in the ratchet's lifetime
  authentication_failed,   // the tag does not match under any key tried
};

inline constexpr std::size_t frame_rejection_count = 11;

// "replayed nonce"
std::string_view frame_rejection_name(frame_rejection reason) noexcept;

// Counts by reason, indexed by the enum.
using frame_rejection_counts = std::array<std::uint64_t, frame_rejection_count>;

}  // namespace spence::net::dave
