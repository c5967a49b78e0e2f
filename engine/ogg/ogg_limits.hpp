#pragma once
// The bounds an Ogg stream cannot push the demuxer past. Each is far above what real files need
// and low enough that junk, a hostile file or an endless stream ends in an error, not a hang or an
// unbounded allocation.

#include <cstdint>

namespace spence::engine::ogg_limits {

// Largest page RFC 3533 allows: a 27-byte header, 255 lacing values, 255 * 255 body bytes.
inline constexpr std::uint64_t max_page_bytes = 27 + 255 + 255 * 255;

// Bytes scanned without a valid page (junk, or damaged pages whose CRC fails) before the input is
// declared broken: a few damaged pages cost less, an endless stream of junk ends here.
inline constexpr std::uint64_t max_unsynced_bytes = 4 * max_page_bytes;

// Bytes of pages read in a row without yielding an Opus packet: header pages, other multiplexed
// streams' pages, OpusTags. Real files interleave audio at least every few seconds; a video that
// runs on this far past the end of its Opus stream ends in this error rather than a long read.
inline constexpr std::uint64_t max_bytes_without_packet = 16 << 20;

// The OpusTags packet is skipped page by page, never held; cover art (METADATA_BLOCK_PICTURE)
// makes it a few MiB at most in practice.
inline constexpr std::uint64_t max_tags_bytes = 8 << 20;

// RFC 7845 section 6: the largest packet without padding is 61,298 * N - 2 bytes for N elementary
// streams. A packet beyond it is assembled no further (a packet spanning pages endlessly).
inline constexpr std::uint64_t max_packet_bytes_per_stream = 61'298;

// Logical streams opening one link (their BOS pages); real files multiplex a handful.
inline constexpr std::uint64_t max_streams_per_link = 32;

// Granule positions above this are rejected, so sums of positions and durations cannot overflow
// (2^62 samples at 48 kHz is three million years).
inline constexpr std::int64_t max_granule = std::int64_t{1} << 62;

// The tail read at open for the duration: this window first, four times larger each retry, up to
// the last one; enough to hold the last page of the Opus stream in real multiplexed files.
inline constexpr std::uint64_t first_tail_window = 64 << 10;
inline constexpr std::uint64_t last_tail_window = 1 << 20;

// Seeking: bisection steps before falling back to a linear scan, and the span below which a
// linear scan is cheaper than another step (one or two reads of a file or HTTP range).
inline constexpr int max_bisection_steps = 48;
inline constexpr std::uint64_t linear_scan_bytes = 128 << 10;

}  // namespace spence::engine::ogg_limits
