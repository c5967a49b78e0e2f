#pragma once
// The bounds the WebM/Matroska reader puts on its input, so that a hostile or broken file ends in
// media_error(limit_exceeded) instead of a huge allocation or a read that never finishes.
//
// Nesting depth needs no counter: the reader descends only into the masters whose layout it knows
// (at most EBML > Segment > Cluster > BlockGroup > Block, or Segment > Tracks > TrackEntry) and
// skips every other element whole, so no input can make it recurse or stack open elements.

#include <cstddef>
#include <cstdint>

namespace spence::engine::webm_limits {

// EBML header, SeekHead, Info and Tracks are read whole into memory. Real ones take a few hundred
// bytes (a Vorbis CodecPrivate, the largest common one, a few kilobytes); 1 MiB leaves room for
// files with dozens of tracks.
inline constexpr std::size_t max_header_element = 1 << 20;

// Cues are read whole on the first seek. mkvmerge indexes audio every 500 ms in about 20 bytes
// per cue point: two days of audio is about 7 MB.
inline constexpr std::size_t max_cues_element = 8 << 20;

// A block of the Opus track is read whole. An Opus packet is at most 120 ms of 255 streams of
// 1275-byte frames, but real blocks (a lace of a few 20 ms packets) take a few kilobytes.
inline constexpr std::size_t max_block = 1 << 20;

// The lace count is one byte (count - 1), so a block never holds more than 256 frames; the frame
// table of a block is sized by this.
inline constexpr std::size_t max_lace_frames = 256;

// Elements skipped (other tracks' blocks, Voids, Tags, unknown IDs) before the next Opus packet.
// A 60 fps video track whose audio starts 20 minutes in is 72 000 blocks; endless junk that
// happens to parse as small elements stops here.
inline constexpr std::uint64_t max_skipped_elements = 100'000;

// Bytes read through (not seeked over) to skip elements before the next Opus packet, on a source
// that cannot seek: other tracks' data between two audio packets (a video keyframe: megabytes).
// Endless junk announcing huge elements on a live stream stops here.
inline constexpr std::uint64_t max_skipped_bytes = 256ull << 20;

// Elements one seek may visit while scanning clusters and packets: a day of 20 ms packets is
// 4.32 million, scanned only when a file without Cues is read linearly.
inline constexpr std::uint64_t max_seek_scan_elements = 5'000'000;

}  // namespace spence::engine::webm_limits
