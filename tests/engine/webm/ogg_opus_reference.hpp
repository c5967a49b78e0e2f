#pragma once
// The packets of an Ogg Opus file, read with libogg directly: the reference the WebM demuxer's
// packets are compared with (the same stream remuxed by ffmpeg, or the file mkvmerge read).

#include <cstdint>
#include <filesystem>
#include <vector>

namespace spence::test {

struct ogg_opus_reference {
  std::vector<std::uint8_t> opus_head;
  std::vector<std::vector<std::uint8_t>> packets;  // audio packets, after OpusHead and OpusTags
  std::int64_t last_granule = 0;                   // total samples including pre-skip
};

ogg_opus_reference read_ogg_opus(const std::filesystem::path& path);

}  // namespace spence::test
