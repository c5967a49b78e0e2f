#include "engine/media_probe.hpp"

#include "engine/mp3/mp3_frame_header.hpp"

#include <cstring>

namespace spence::engine {
namespace {

bool starts_with(std::span<const std::uint8_t> b, std::size_t at, const char* magic) {
  const std::size_t n = std::strlen(magic);
  return b.size() >= at + n && std::memcmp(b.data() + at, magic, n) == 0;
}

// A frame header at `at` whose successor starts where the first one says it ends.
bool mp3_frames_at(std::span<const std::uint8_t> b, std::size_t at) {
  const auto first = parse_mp3_frame_header(b.subspan(at));
  if (!first || at + first->frame_bytes + 4 > b.size()) return false;
  const auto second = parse_mp3_frame_header(b.subspan(at + first->frame_bytes));
  return second && second->layer == first->layer && second->sample_rate == first->sample_rate;
}

}  // namespace

std::string_view container_name(container c) noexcept {
  switch (c) {
    case container::webm: return "WebM/Matroska";
    case container::ogg: return "Ogg";
    case container::mp3: return "MP3";
    case container::wav: return "WAV";
    case container::mp4: return "MP4";
    case container::flac: return "FLAC";
    case container::aac_adts: return "AAC (ADTS)";
    case container::unknown: return "unknown";
  }
  return "unknown";
}

container detect_container(byte_reader& reader) {
  const auto head = reader.peek(std::min<std::size_t>(reader.capacity(), 16 * 1024));
  if (starts_with(head, 0, "\x1A\x45\xDF\xA3")) return container::webm;
  if (starts_with(head, 0, "OggS")) return container::ogg;
  if ((starts_with(head, 0, "RIFF") || starts_with(head, 0, "RF64")) && starts_with(head, 8, "WAVE")) return container::wav;
  if (starts_with(head, 0, "ID3")) return container::mp3;
  if (starts_with(head, 4, "ftyp")) return container::mp4;
  if (starts_with(head, 0, "fLaC")) return container::flac;
  if (head.size() >= 2 && head[0] == 0xFF && (head[1] & 0xF6) == 0xF0) return container::aac_adts;
  // An MP3 stream joined mid-way starts anywhere inside a frame: find two frames in a row.
  for (std::size_t at = 0; at + 4 <= head.size(); ++at)
    if (head[at] == 0xFF && mp3_frames_at(head, at)) return container::mp3;
  return container::unknown;
}

}  // namespace spence::engine
