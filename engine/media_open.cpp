#include "engine/media_open.hpp"

#include "engine/media_error.hpp"
#include "engine/mp3/mp3_source.hpp"
#include "engine/ogg/ogg_demuxer.hpp"
#include "engine/wav/wav_source.hpp"
#include "engine/webm/webm_demuxer.hpp"

#include <fmt/format.h>

namespace spence::engine {

opened_media open_media(std::unique_ptr<byte_source> source) {
  auto reader = std::make_unique<byte_reader>(std::move(source));
  opened_media media;
  media.name = reader->source_name();
  media.kind = detect_container(*reader);
  media.bytes = reader.get();
  switch (media.kind) {
    case container::webm: media.opus = open_webm(std::move(reader)); break;
    case container::ogg: media.opus = open_ogg(std::move(reader)); break;
    case container::mp3: media.pcm = open_mp3(std::move(reader)); break;
    case container::wav: media.pcm = open_wav(std::move(reader)); break;
    case container::unknown:
      if (reader->at_end()) throw media_error(media_errc::truncated, media.name, "empty input");
      throw media_error(media_errc::unsupported_format, media.name, "Unknown file format. (spence reads WebM, Ogg, MP3, WAV)");
    default:
      throw media_error(media_errc::unsupported_format, media.name,
                        fmt::format("{} is not supported (spence reads WebM, Ogg, MP3, WAV)", container_name(media.kind)));
  }
  return media;
}

}  // namespace spence::engine
