// Fuzzes the WebM/Matroska demuxer: any bytes must yield packets or a media_error, never a crash,
// a hang or another exception. Reads everything, then seeks to a target taken from the input and
// reads on from there.

#include "engine/byte_reader.hpp"
#include "engine/media_error.hpp"
#include "engine/memory_source.hpp"
#include "engine/webm/webm_demuxer.hpp"

#include <cstddef>
#include <cstdint>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spence::engine;
  try {
    auto source = std::make_unique<memory_source>(std::vector<std::uint8_t>(data, data + size), "fuzz");
    const auto demuxer = open_webm(std::make_unique<byte_reader>(std::move(source)));
    std::int64_t last = 0;
    while (const auto packet = demuxer->next()) last = packet->timestamp;
    // A target somewhere in the stream, chosen by the input so the fuzzer explores seek paths.
    const std::int64_t target = size > 0 ? last / 255 * data[size - 1] : 0;
    demuxer->seek(target);
    for (int i = 0; i < 4 && demuxer->next(); ++i) {
    }
    demuxer->seek(0);
    demuxer->next();
  } catch (const media_error&) {
  }
  return 0;
}
