#pragma once
// MP3 (MPEG-1/2/2.5 audio, layers I-III) decoded by libmpg123 into float PCM.
//
// A seekable source with a known size is handed to libmpg123 as a file: it reads the Xing/VBRI
// and LAME tags, so decoding is gapless, seeks are sample-exact and the length is exact (without
// such a tag it is libmpg123's estimate from the file size). Anything else (an Icecast stream,
// joined at any byte) is fed to libmpg123 as it arrives; it cannot seek and has no length. ID3v2
// and ID3v1 tags are skipped. A stream that changes rate or channel count mid-way yields blocks
// in the new format from the first frame that has it.

#include "engine/byte_reader.hpp"
#include "engine/pcm_source.hpp"

#include <memory>

namespace spence::engine {

// The reader is at the stream's first byte. Throws media_error(malformed) when no MPEG audio frame
// can be found, (codec) when libmpg123 fails; decoding errors later are thrown by read().
std::unique_ptr<pcm_source> open_mp3(std::unique_ptr<byte_reader> reader);

}  // namespace spence::engine
