// libFuzzer target for ICY streams: the input as an interleaved body (its first byte picks the
// metadata interval), fed to the demuxer in pieces whose sizes come from the input too, and every
// block it finds parsed. Beyond "no crash": the audio is the body without its blocks, so it is
// never longer than the body, the same however the body is cut, and parsed titles are valid
// UTF-8 without control characters and at most 1024 bytes.

#include "net/http/icy_metadata.hpp"

#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint64_t metaint = 1 + data[0];
  const std::size_t step = 1 + data[1];
  const std::span<const std::uint8_t> body(data + 2, size - 2);

  spence::net::icy_demuxer whole(metaint);
  std::vector<std::uint8_t> audio_whole;
  std::vector<std::string> blocks_whole;
  whole.feed(body, audio_whole, blocks_whole);

  spence::net::icy_demuxer pieces(metaint);
  std::vector<std::uint8_t> audio;
  std::vector<std::string> blocks;
  for (std::size_t at = 0; at < body.size(); at += step) pieces.feed(body.subspan(at, std::min(step, body.size() - at)), audio, blocks);
  if (audio != audio_whole || blocks != blocks_whole || audio.size() > body.size()) std::abort();

  blocks.emplace_back(reinterpret_cast<const char*>(body.data()), body.size());  // the input as one block's text
  for (const auto& block : blocks) {
    if (block.size() > 4080 && &block != &blocks.back()) std::abort();
    const auto fields = spence::net::parse_icy_metadata(block);
    if (!fields || !fields->stream_title) continue;
    const std::string& title = *fields->stream_title;
    if (title.size() > 2048 || spence::net::icy_text_to_utf8(title) != title) std::abort();
    for (const char c : title)
      if (static_cast<unsigned char>(c) < 0x20) std::abort();
  }
  return 0;
}
