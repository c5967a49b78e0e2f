// Fuzzes the Ogg Opus demuxer: any bytes must yield packets or end in a media_error, never crash,
// hang or grow without bound. Each input is read from a seekable source (tail probe, bisection) and
// from one that cannot seek (forward only), then once more with every page's CRC set right: a
// mutation almost always breaks a CRC, and libogg would skip the page before the demuxer saw what
// the mutation did to its granule position, flags or lacing. Traps when timestamps go back within
// a straight read or a seek returns another timestamp than the packet it positioned at.

#include "engine/byte_reader.hpp"
#include "engine/memory_source.hpp"
#include "engine/ogg/ogg_demuxer.hpp"
#include "tests/engine/stream_source.hpp"

#include <ogg/ogg.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace {

using namespace spence::engine;

// Reads up to `limit` packets; returns the last timestamp.
std::int64_t read_straight(opus_demuxer& demuxer, int limit) {
  std::int64_t last = INT64_MIN;
  for (int n = 0; n < limit; ++n) {
    const auto p = demuxer.next();
    if (!p) break;
    if (p->timestamp <= last) __builtin_trap();
    last = p->timestamp;
  }
  return last;
}

void seek_and_check(opus_demuxer& demuxer, std::int64_t target) {
  const std::int64_t reached = demuxer.seek(target);
  const auto p = demuxer.next();
  if (p && p->timestamp != reached) __builtin_trap();
}

void exercise(std::unique_ptr<byte_source> source) {
  try {
    auto demuxer = open_ogg(std::make_unique<byte_reader>(std::move(source)));
    const std::int64_t last = read_straight(*demuxer, 3000);
    if (demuxer->info().seekable) {
      seek_and_check(*demuxer, last / 2);
      seek_and_check(*demuxer, 0);
      read_straight(*demuxer, 3000);
      seek_and_check(*demuxer, last + 1);
    } else {
      seek_and_check(*demuxer, last + 1);
    }
  } catch (const media_error&) {
  }
}

// Sets the CRC of every complete page found at a capture pattern.
void repair_crcs(std::vector<std::uint8_t>& bytes) {
  for (std::size_t at = 0; at + 27 <= bytes.size();) {
    const std::size_t header = 27 + std::size_t{bytes[at + 26]};
    if (std::memcmp(&bytes[at], "OggS", 4) != 0 || at + header > bytes.size()) {
      ++at;
      continue;
    }
    std::size_t body = 0;
    for (std::size_t i = 27; i < header; ++i) body += bytes[at + i];
    if (at + header + body > bytes.size()) break;
    std::fill_n(&bytes[at + 22], 4, 0);
    ogg_page page{&bytes[at], static_cast<long>(header), &bytes[at + header], static_cast<long>(body)};
    ogg_page_checksum_set(&page);
    at += header + body;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::vector<std::uint8_t> bytes(data, data + size);
  exercise(std::make_unique<memory_source>(bytes, "fuzz.opus"));
  exercise(std::make_unique<spence::test::stream_source>(bytes, 777, "fuzz-stream.opus"));
  repair_crcs(bytes);
  exercise(std::make_unique<memory_source>(std::move(bytes), "fuzz.opus"));
  return 0;
}
