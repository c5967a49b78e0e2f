#pragma once
// The layout of a DAVE protocol frame (whitepaper "Payload Format"), read from its end:
//
//   [media: the frame, encrypted except for its unencrypted ranges]
//   [8-byte truncated AES-GCM tag]
//   [ULEB128 truncated nonce]
//   [ULEB128 (offset, size) pairs of the unencrypted ranges; none for Opus]
//   [1 byte: supplemental size = the bytes from the tag to the marker inclusive]
//   [0xFA 0xFA magic marker]
//
// parse_protocol_frame is the protocol frame check: a frame that fails it is not DAVE's (a peer in
// passthrough, or damage) and the reason says which check failed. It never reads outside the
// frame and keeps views into it.
//
// The truncated nonce's top byte is the sender's key ratchet generation; it wraps every 2^32
// frames, so receivers and senders widen it against the oldest generation they hold.

#include "net/dave/frame_rejection.hpp"
#include "net/dave/mls/bytes.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace spence::net::dave {

inline constexpr std::uint8_t magic_marker_byte = 0xfa;  // twice, ending the frame
inline constexpr std::size_t magic_marker_size = 2;
// Tag, size byte and marker: the supplemental data with a one-byte-or-less nonce and no ranges
// still has them all.
inline constexpr std::size_t min_supplemental_size = 8 + 1 + magic_marker_size;
inline constexpr unsigned generation_shift = 24;  // the generation is the truncated nonce's top byte
inline constexpr std::uint32_t generation_wrap = 256;

struct unencrypted_range {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  friend bool operator==(const unencrypted_range&, const unencrypted_range&) = default;
};

struct protocol_frame {
  mls::bytes_view media;  // ciphertext, with the unencrypted ranges in place
  mls::bytes_view tag;    // 8 bytes
  std::uint32_t truncated_nonce = 0;
  std::vector<unencrypted_range> unencrypted_ranges;  // ascending, disjoint, within media
};

boost::system::result<protocol_frame, frame_rejection> parse_protocol_frame(mls::bytes_view frame);

// The supplemental data after the tag of a frame without unencrypted ranges (Opus): its size, and
// writing it (nonce, size byte, marker) at `out`.
std::size_t opus_supplemental_tail_size(std::uint32_t truncated_nonce) noexcept;
void write_opus_supplemental_tail(std::uint32_t truncated_nonce, std::uint8_t* out) noexcept;

// A generation byte widened to the generation it is at or after `oldest` (mod 256): the
// generations in use are never 256 apart (the gap limit), so this is the one meant.
std::uint32_t wrapped_generation(std::uint32_t oldest, std::uint32_t generation_byte) noexcept;
// A nonce made unique across the truncated nonce's wraps: the widened generation above the
// nonce's low 24 bits.
std::uint64_t wrapped_nonce(std::uint32_t generation, std::uint32_t truncated_nonce) noexcept;

// What boost::system::result<T, frame_rejection>::value() throws.
[[noreturn]] void throw_exception_from_error(frame_rejection reason, const boost::source_location& where);

}  // namespace spence::net::dave
