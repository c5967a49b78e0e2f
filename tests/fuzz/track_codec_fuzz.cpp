// libFuzzer target for lavaplayer's encoded tracks: the input read both as a base64 string and as
// raw message bytes. Beyond "no crash": whatever decodes encodes again, and that encoding decodes
// to the same track (the canonical form is a fixed point).

#include "net/lavalink/track_codec.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

void check_round_trip(const spence::net::lavalink::decoded_track& track) {
  const auto encoded = spence::net::lavalink::encode_track(track);
  // Its strings came with 16-bit lengths, but Java's lenient forms (a raw zero byte) grow when
  // written canonically (C0 80), so "too long" is the one way encoding may fail.
  if (!encoded) {
    if (encoded.error().code != spence::net::lavalink::track_codec_errc::string_too_long) std::abort();
    return;
  }
  const auto again = spence::net::lavalink::decode_track(*encoded);
  if (!again || *again != track) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (auto track = spence::net::lavalink::decode_track_message({data, size})) check_round_trip(*track);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto track = spence::net::lavalink::decode_track(text)) check_round_trip(*track);
  return 0;
}
