#include "engine/ogg/ogg_codec.hpp"

#include <array>
#include <cstring>

namespace spence::engine {
namespace {

struct signature {
  std::string_view magic;
  ogg_codec codec;
};

using namespace std::string_view_literals;

// The identification headers of the codecs with an Ogg mapping (each codec's own specification).
constexpr std::array signatures{
    signature{"OpusHead"sv, {"Opus", true}},
    signature{"\x01vorbis"sv, {"Vorbis", true}},
    signature{"\x7F" "FLAC"sv, {"FLAC", true}},
    signature{"Speex   "sv, {"Speex", true}},
    signature{"\x80theora"sv, {"Theora", true}},
    signature{"fishead\0"sv, {"Skeleton", false}},
    signature{"CELT    "sv, {"CELT", true}},
    signature{"PCM     "sv, {"PCM", true}},
    signature{"\x80kate\0\0\0"sv, {"Kate", true}},
    signature{"BBCD\0"sv, {"Dirac", true}},
};

}  // namespace

ogg_codec identify_ogg_codec(std::span<const std::uint8_t> first_packet) noexcept {
  for (const auto& s : signatures)
    if (first_packet.size() >= s.magic.size() &&
        std::memcmp(first_packet.data(), s.magic.data(), s.magic.size()) == 0)
      return s.codec;
  return {"unknown", true};
}

}  // namespace spence::engine
