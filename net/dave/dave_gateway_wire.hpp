#pragma once
// What both ends of DAVE's voice gateway messages agree on beyond MLS (our notes §2.3, §4.1): the
// MLS group ID (the voice channel's ID as 8 big-endian bytes), op 27's operation types, and the
// big-endian transition ID that starts ops 29 and 30.

#include "net/dave/mls/bytes.hpp"

#include <cstdint>
#include <optional>

namespace spence::net::dave {

inline constexpr std::uint8_t proposals_append = 0;  // op 27: MLSMessage proposal_messages<V>
inline constexpr std::uint8_t proposals_revoke = 1;  // op 27: ProposalRef proposal_refs<V>

inline mls::bytes group_id_of_channel(std::uint64_t channel_id) {
  mls::bytes out(8);
  for (int i = 7; i >= 0; --i, channel_id >>= 8) out[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(channel_id);
  return out;
}

// Ops 29 and 30: the transition ID, then the MLS bytes.
inline mls::bytes with_transition_id(std::uint16_t transition_id, mls::bytes_view rest) {
  mls::bytes out{static_cast<std::uint8_t>(transition_id >> 8), static_cast<std::uint8_t>(transition_id)};
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

// The transition ID of an op-29 or op-30 payload; nullopt when it is too short to hold one.
inline std::optional<std::uint16_t> transition_id_of(mls::bytes_view payload) {
  if (payload.size() < 2) return std::nullopt;
  return static_cast<std::uint16_t>(payload[0] << 8 | payload[1]);
}

}  // namespace spence::net::dave
