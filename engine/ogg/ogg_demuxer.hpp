#pragma once
// Ogg Opus (RFC 3533 pages carrying RFC 7845 Opus): the packets of the first Opus stream of each
// link, with timestamps in 48 kHz samples.
//
// Streams. Every link of the file starts with the beginning-of-stream pages of its streams; the
// first Opus one is followed and the other streams' pages are skipped. A link without Opus fails
// with unsupported_codec naming what it carries (Vorbis, FLAC, Speex, Theora, ...). OpusTags is
// checked (signature, vendor length, size) and skipped, never held.
//
// Timestamps count 48 kHz samples from the first packet of the file, which is at 0, before
// pre-skip is removed (playback time = timestamp - codec_delay in the first link). A first audio
// page whose granule position implies a later start (a cropped recording, a live stream joined
// mid-way) only shifts how granule positions map to timestamps; one implying a negative start is
// malformed, except on a page that also ends the stream, where RFC 7845 section 4.5 says to start
// from 0. Timestamps then advance by the packets' durations (their TOC bytes), which also times a
// packet completed on a later page than it began. After a seek or a lost page they are taken from
// the next granule position again, never going back.
//
// End trimming. The end-of-stream page's granule position may cut the last packet short (RFC 7845
// section 4.4). opus_packet has no field for that; info().duration carries it where known: the
// end of the audio on the timestamp clock (granule position of the last page, less the start
// offset), so a decoder stops at `duration` and plays duration - codec_delay samples. Where the
// duration is unknown the trimmed samples (under one packet of encoder padding) play.
//
// Chains. A beginning-of-stream page after the followed stream's pages (a chained file: Ogg files
// concatenated) starts a new link: stream_index increments, info() describes the new head from
// its first packet on, and timestamps continue where the previous link's last packet ended
// (untrimmed). So timestamps count every decoded sample of the chain, each link's pre-skip
// included: they never go back, and a decoder reset at each link keeps them exact.
//
// Duration and seeking. On a source that can seek and knows its size, open reads a bounded window
// at the end once. When it holds the followed stream's last page and nothing of another link,
// info().duration is set and seek() bisects over byte offsets with page granule positions, then
// reads forward to the packet. A chained file, or one of unknown size, has no duration and seeks
// back by reading again from byte 0 (a chain that reuses serial numbers, which RFC 3533 forbids,
// is treated this way once it is met). A source that cannot seek only seeks forward; a target
// behind the next packet throws not_seekable.
//
// Damage. libogg checks every page's CRC and skips a page that fails as junk; the packets on it
// are lost and the next intact page resumes, its granule position resetting the timestamps (when
// that page is the end-of-stream one, whose granule position end trimming may cut, its packets
// can come out up to one packet early, never before the packets already returned). More than
// ogg_limits::max_unsynced_bytes without a valid page is malformed. The input ending inside a
// page or a packet is truncated, thrown after the packets before it; ending between pages without
// an end-of-stream flag is a normal end. The limits on sizes are in ogg_limits.hpp.

#include "engine/byte_reader.hpp"
#include "engine/opus_demuxer.hpp"

#include <memory>

namespace spence::engine {

// Takes a reader positioned at byte 0 (content detection only peeked). Reads the headers, the
// tail when the source can seek, and the first audio page before returning. Throws media_error
// (truncated, malformed, unsupported_codec, limit_exceeded, io).
std::unique_ptr<opus_demuxer> open_ogg(std::unique_ptr<byte_reader> reader);

}  // namespace spence::engine
