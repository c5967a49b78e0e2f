#pragma once
// Container detection from content (magic bytes), never from file names or Content-Type.

#include "engine/byte_reader.hpp"

#include <string_view>

namespace spence::engine {

enum class container {
  webm,  // EBML: WebM and Matroska
  ogg,
  mp3,   // MPEG audio, with or without ID3v2, also from mid-stream (Icecast)
  wav,   // RIFF/WAVE and RF64
  // Recognised so that the error can say what it is; spence does not read them.
  mp4,
  flac,
  aac_adts,
  unknown,
};

std::string_view container_name(container c) noexcept;

// Looks at the first bytes through reader.peek() without consuming them. MP3 without an ID3 tag
// is accepted when two consecutive frame headers agree within the first peek window.
container detect_container(byte_reader& reader);

}  // namespace spence::engine
