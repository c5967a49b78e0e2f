#pragma once
// The payload of a SimpleBlock or Block (RFC 9559 section 10): track number, timestamp relative to
// the Cluster, flags, and the frames it holds, split by one of the four lacings (none, Xiph,
// EBML, fixed-size).

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace spence::engine {

// The track number at the start of a block payload, from its first bytes (a VINT of at most 8).
// nullopt when those bytes do not hold a whole, valid VINT.
std::optional<std::uint64_t> matroska_block_track(std::span<const std::uint8_t> head) noexcept;

struct matroska_block {
  std::uint64_t track = 0;
  std::int16_t relative_timestamp = 0;  // ticks after the Cluster's Timestamp
  std::vector<std::span<const std::uint8_t>> frames;  // views into the payload, in order
};

// Splits a block payload that sits at stream offset `offset`. Throws media_error(malformed) naming
// source when the header or lace sizes contradict the payload's length.
matroska_block parse_matroska_block(std::span<const std::uint8_t> payload, std::uint64_t offset, std::string_view source);

}  // namespace spence::engine
