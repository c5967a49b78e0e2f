#pragma once
// WAV (RIFF/WAVE and RF64) read into float PCM: linear PCM and IEEE float, 1 to 8 channels.
//
// The data chunk's size is trusted only as far as the input goes: a size larger than the file is
// clamped to what is there, a size of 0 or 0xFFFFFFFF (a streamed WAV) reads until the end, and a
// partial frame at the end is dropped. Seeks are exact: frame * block_align into the data.

#include "engine/byte_reader.hpp"
#include "engine/pcm_source.hpp"

#include <memory>

namespace spence::engine {

// The reader is at the file's first byte. Throws media_error when the header is malformed or the
// format unsupported (see wav_header.hpp and wav_format.hpp).
std::unique_ptr<pcm_source> open_wav(std::unique_ptr<byte_reader> reader);

}  // namespace spence::engine
