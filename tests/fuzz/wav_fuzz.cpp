// Fuzzes the WAV reader: any bytes must yield samples in [-1, 1] in blocks no larger than asked,
// or a media_error; never a crash, a hang or an unbounded allocation.

#include "engine/memory_source.hpp"
#include "engine/wav/wav_source.hpp"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace spence::engine;
  try {
    const auto wav = open_wav(std::make_unique<byte_reader>(
        std::make_unique<memory_source>(std::vector<std::uint8_t>(data, data + size), "fuzz.wav")));
    const std::size_t channels = wav->format().channels;
    for (int blocks = 0;; ++blocks) {
      const pcm_block block = wav->read(333);
      if (block.samples.empty()) break;
      if (block.frames() > 333 || block.samples.size() != block.frames() * channels) __builtin_trap();
      for (const float s : block.samples)
        if (!(s >= -1.0f && s <= 1.0f)) __builtin_trap();
      if (blocks == 1 && wav->seek(size % 1000) < 0) __builtin_trap();
    }
  } catch (const media_error&) {
  }
  return 0;
}
