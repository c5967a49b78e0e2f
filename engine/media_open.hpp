#pragma once
// From bytes to something the pipeline can play: detects the container from content and opens
// its reader. Opus containers stay packets (so they can pass through); the others become PCM.

#include "engine/byte_reader.hpp"
#include "engine/byte_source.hpp"
#include "engine/media_probe.hpp"
#include "engine/opus_demuxer.hpp"
#include "engine/pcm_source.hpp"

#include <memory>
#include <string>

namespace spence::engine {

struct opened_media {
  container kind = container::unknown;
  std::string name;                      // the source's name, for errors and logs
  std::unique_ptr<opus_demuxer> opus;    // WebM/Matroska and Ogg
  std::unique_ptr<pcm_source> pcm;       // MP3 and WAV
  // The reader both of them parse through (owned by them): how many bytes are ready, for a
  // real-time caller that must not wait on the network.
  const byte_reader* bytes = nullptr;
};

// Throws media_error: unsupported_format for containers spence does not read (naming what was
// recognised), and whatever the container's reader reports.
opened_media open_media(std::unique_ptr<byte_source> source);

}  // namespace spence::engine
