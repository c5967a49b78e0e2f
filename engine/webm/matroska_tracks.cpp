#include "engine/webm/matroska_tracks.hpp"

#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/matroska_time.hpp"

#include <fmt/format.h>

#include <limits>
#include <string>

namespace spence::engine {
namespace {

struct track_entry {
  ebml_child element;
  std::uint64_t number = 0;
  std::uint64_t type = 0;
  std::string_view codec_id;
  std::optional<ebml_child> codec_private;
  std::optional<ebml_child> codec_delay;
  bool content_encoded = false;
};

track_entry read_track_entry(const ebml_children& tracks, const ebml_child& element) {
  track_entry entry;
  entry.element = element;
  ebml_children children = tracks.children_of(element);
  while (const auto child = children.next()) {
    switch (child->id) {
      case matroska_id::track_number: entry.number = children.read_uint(*child); break;
      case matroska_id::track_type: entry.type = children.read_uint(*child); break;
      case matroska_id::codec_id: entry.codec_id = children.read_string(*child); break;
      case matroska_id::codec_private: entry.codec_private = child; break;
      case matroska_id::codec_delay: entry.codec_delay = child; break;
      case matroska_id::content_encodings: entry.content_encoded = true; break;
      default: break;
    }
  }
  return entry;
}

matroska_opus_track opus_track(const ebml_children& tracks, const track_entry& entry, std::string_view source) {
  if (entry.number == 0) tracks.fail(entry.element, media_errc::malformed, "Opus track without a TrackNumber");
  // Compressed or encrypted frames would no longer be the encoder's packets.
  if (entry.content_encoded)
    tracks.fail(entry.element, media_errc::unsupported_codec, "Opus track with ContentEncodings (compressed or encrypted)");
  if (!entry.codec_private) tracks.fail(entry.element, media_errc::malformed, "Opus track without an OpusHead CodecPrivate");
  matroska_opus_track track{entry.number, parse_opus_head(entry.codec_private->body, source), std::nullopt};
  if (entry.codec_delay) {
    const auto samples = matroska_ticks_to_samples(tracks.read_uint(*entry.codec_delay), 1);
    // The delay plays the role of OpusHead's 16-bit pre-skip; a longer one is a corrupt value.
    if (!samples || *samples > std::numeric_limits<std::uint16_t>::max())
      tracks.fail(*entry.codec_delay, media_errc::malformed, "CodecDelay longer than an Opus pre-skip can be");
    track.codec_delay = static_cast<std::uint32_t>(*samples);
  }
  return track;
}

}  // namespace

matroska_opus_track select_opus_track(ebml_children tracks) {
  std::optional<std::string> other_audio_codec;
  std::string codecs;
  const std::string source(tracks.source());
  while (const auto child = tracks.next()) {
    if (child->id != matroska_id::track_entry) continue;
    const track_entry entry = read_track_entry(tracks, *child);
    if (entry.type == matroska_id::track_type_audio && entry.codec_id == "A_OPUS") return opus_track(tracks, entry, source);
    if (entry.type == matroska_id::track_type_audio && !other_audio_codec) other_audio_codec = entry.codec_id;
    codecs += codecs.empty() ? "" : ", ";
    codecs += entry.codec_id;
  }
  if (other_audio_codec) throw media_error(media_errc::unsupported_codec, source, fmt::format("audio codec {}", *other_audio_codec));
  throw media_error(media_errc::unsupported_codec, source, fmt::format("no audio track (tracks: {})", codecs.empty() ? "none" : codecs));
}

}  // namespace spence::engine
