// libFuzzer target for the media logs a replay reads (engine/player/media_log): any bytes either
// open and answer calls, or raise media_error; a read never returns more than it was asked for.

#include "engine/player/media_log.hpp"

#include <cstdint>
#include <cstdlib>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    spence::engine::replayed_source source(std::vector<std::uint8_t>(data, data + size), "fuzz.media");
    std::vector<std::uint8_t> buffer(4096);
    // Whatever the log holds, ask the calls a track reader asks, until the log says otherwise.
    for (int call = 0; call < 1000; ++call) {
      switch (call % 4) {
        case 0: (void)source.may_wait(); break;
        case 1: (void)source.available(); break;
        case 2:
          if (source.read(buffer) > buffer.size()) std::abort();
          break;
        default: source.seek(static_cast<std::uint64_t>(call)); break;
      }
    }
  } catch (const spence::engine::media_error&) {
  }
  return 0;
}
