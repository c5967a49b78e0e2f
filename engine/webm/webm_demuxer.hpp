#pragma once
// WebM and Matroska files and live streams (what YouTube serves, what mkvmerge and ffmpeg write):
// the Opus packets of the first Opus audio track.

#include "engine/byte_reader.hpp"
#include "engine/opus_demuxer.hpp"

#include <memory>

namespace spence::engine {

// Reads the headers up to the first Cluster. The reader stands at byte 0 (content detection only
// peeked). Throws media_error: unsupported_format (not EBML, or a DocType other than webm and
// matroska), unsupported_codec (no Opus audio track: the message names the codec found), and
// malformed, truncated or limit_exceeded for broken input.
std::unique_ptr<opus_demuxer> open_webm(std::unique_ptr<byte_reader> reader);

}  // namespace spence::engine
