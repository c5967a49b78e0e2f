// Fuzzes the MP3 reader (libmpg123 behind spence's input handling): any bytes must decode to
// samples in [-1, 1] or end in a media_error, never crash, hang or grow without bound. The first
// byte picks the input path: a seekable file (libmpg123 reads it) or a stream (libmpg123 is fed).

#include "engine/memory_source.hpp"
#include "engine/mp3/mp3_source.hpp"
#include "tests/engine/mp3/stream_sources.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spence::engine;
  if (size == 0) return 0;
  const bool seekable = data[0] & 1;
  std::vector<std::uint8_t> bytes(data + 1, data + size);
  std::unique_ptr<byte_source> source;
  if (seekable) {
    source = std::make_unique<memory_source>(std::move(bytes), "fuzz.mp3");
  } else {
    source = std::make_unique<spence::test::stream_source>(std::move(bytes), 1000, "fuzz.mp3");
  }
  try {
    const auto mp3 = open_mp3(std::make_unique<byte_reader>(std::move(source)));
    for (int blocks = 0;; ++blocks) {
      const pcm_block block = mp3->read(1024);
      if (block.samples.empty()) break;
      for (const float s : block.samples)
        if (!(s >= -1.0f && s <= 1.0f)) __builtin_trap();
      if (seekable && blocks == 2) mp3->seek(static_cast<std::int64_t>(data[0]) * 100);
    }
  } catch (const media_error&) {
  }
  return 0;
}
