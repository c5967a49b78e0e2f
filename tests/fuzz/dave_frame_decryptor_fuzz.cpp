// libFuzzer target for DAVE's frame decryptor (net/dave/frame_decryptor), which reads frames
// straight off the network. Beyond "no crash, no read outside the input":
// - a frame that passes the protocol frame check splits exactly into media and supplemental data,
//   with its unencrypted ranges in order inside the media;
// - a made-up frame never decrypts (it would need a valid 8-byte tag: one in 2^64), and without
//   passthrough it is refused; with passthrough a frame failing the check comes back as it is;
// - the input taken as an Opus frame, encrypted by the encryptor, decrypts back to itself once,
//   and the same frame a second time is refused as a replay.

#include "net/dave/frame_decryptor.hpp"
#include "net/dave/opus_frame_encryptor.hpp"
#include "net/dave/protocol_frame.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace spence::net::dave;
using spence::net::dave::mls::bytes;
using spence::net::dave::mls::bytes_view;

// Not the known-answer base: the seed corpus holds the known-answer frame, which must not decrypt here.
const bytes base_secret(16, 0x5a);
const frame_time start = frame_time{} + std::chrono::hours(1000);

void check(bool condition) {
  if (!condition) std::abort();
}

bool is_silence(bytes_view frame) { return frame.size() == 3 && frame[0] == 0xf8 && frame[1] == 0xff && frame[2] == 0xfe; }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const bytes_view input(data, size);

  const auto parsed = parse_protocol_frame(input);
  if (parsed) {
    check(parsed->media.data() == input.data());
    check(parsed->tag.size() == 8 && parsed->tag.data() == input.data() + parsed->media.size());
    check(input.size() - parsed->media.size() == input[input.size() - 3]);
    std::uint64_t free_from = 0;
    for (const auto& range : parsed->unencrypted_ranges) {
      check(range.offset >= free_from && range.offset + range.size <= parsed->media.size());
      free_from = range.offset + range.size;
    }
  }

  frame_decryptor strict;
  strict.transition_to_key_ratchet(key_ratchet(base_secret), start);
  bytes out;
  const auto strict_result = strict.decrypt(input, out, start);
  check(!strict_result || is_silence(input));

  frame_decryptor open;
  open.transition_to_passthrough(true, start);
  const auto open_result = open.decrypt(input, out, start);
  if (!parsed) check(open_result && std::ranges::equal(*open_result, input));

  opus_frame_encryptor encryptor;
  encryptor.set_key_ratchet(key_ratchet(base_secret));
  bytes sealed;
  const auto frame = encryptor.encrypt(input, sealed);
  const bytes sent(frame.begin(), frame.end());
  const auto round_trip = strict.decrypt(sent, out, start);
  check(round_trip && std::ranges::equal(*round_trip, input));
  if (!is_silence(input)) check(!strict.decrypt(sent, out, start));
  return 0;
}
