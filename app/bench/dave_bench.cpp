// `spence bench dave`: what DAVE's frame layer costs per packet, for Opus frames of typical sizes
// (20 to 160 bytes: speech at low bitrates to music at 64 kbit/s).
//   encrypt       opus_frame_encryptor::encrypt, as the voice sink calls it for each packet
//   decrypt       frame_decryptor::decrypt of those frames (a fresh decryptor per batch of 10,000:
//                 each nonce decrypts once; its set-up is amortized over the batch)
//   seal / open   the AES-128-GCM work alone (frame_cipher), the floor the layer adds to
// Figures are thread CPU time per packet, and how many 50-packet-a-second streams one core could
// encrypt (or decrypt) at that cost. Then the MLS group's commits and welcomes in groups of 2, 25
// and 99 members (mls_group_timing.hpp).

#include "app/bench/bench_media.hpp"
#include "app/bench/mls_group_timing.hpp"
#include "app/commands.hpp"

#include "net/dave/frame_cipher.hpp"
#include "net/dave/frame_decryptor.hpp"
#include "net/dave/opus_frame_encryptor.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fmt/format.h>

#include <stdexcept>

namespace spence::app {
namespace {

namespace json = boost::json;
namespace dave = net::dave;
using dave::mls::bytes;

constexpr int batch = 10000;
constexpr double packets_per_second = 50;  // one 20 ms Opus stream

const bytes base_secret(16, 0x2a);

bytes opus_like(std::size_t size) {
  bytes frame(size);
  for (std::size_t i = 0; i < size; ++i) frame[i] = static_cast<std::uint8_t>(i * 31 + 7);
  frame[0] = 0xfc;  // an Opus TOC byte: never the silence frame
  return frame;
}

// Nanoseconds of CPU per packet, from realtime_factor's packets per CPU second.
double ns_per_packet(double min_cpu, const std::function<void()>& one_batch) {
  return 1e9 / bench::realtime_factor(batch, min_cpu, one_batch);
}

json::object measure(std::size_t size, double min_cpu) {
  const bytes opus = opus_like(size);
  std::size_t sink = 0;  // read after the runs, so the work counts as used

  dave::opus_frame_encryptor encryptor;
  encryptor.set_key_ratchet(dave::key_ratchet(base_secret));
  bytes out;
  const double encrypt = ns_per_packet(min_cpu, [&] {
    for (int i = 0; i < batch; ++i) sink += encryptor.encrypt(opus, out).size();
  });

  dave::opus_frame_encryptor batch_encryptor;
  batch_encryptor.set_key_ratchet(dave::key_ratchet(base_secret));
  std::vector<bytes> frames(batch);
  for (auto& frame : frames) {
    const auto sealed = batch_encryptor.encrypt(opus, out);
    frame.assign(sealed.begin(), sealed.end());
  }
  const auto now = dave::frame_clock::now();
  std::uint64_t refused = 0;
  const double decrypt = ns_per_packet(min_cpu, [&] {
    dave::frame_decryptor decryptor;
    decryptor.transition_to_key_ratchet(dave::key_ratchet(base_secret), now);
    for (const auto& frame : frames) {
      const auto plain = decryptor.decrypt(frame, out, now);
      if (plain) sink += plain->size();
      else ++refused;
    }
  });
  if (refused != 0) throw std::runtime_error(fmt::format("{} of the benchmark's frames did not decrypt", refused));

  const bytes key = dave::key_ratchet(base_secret).get(0).value().key;
  dave::frame_cipher sealer(key, dave::frame_cipher::direction::seal);
  bytes ciphertext(size);
  bytes tag(dave::truncated_tag_size);
  const double seal = ns_per_packet(min_cpu, [&] {
    for (int i = 0; i < batch; ++i) sealer.seal(static_cast<std::uint32_t>(i + 1), {}, opus, ciphertext.data(), tag.data());
  });
  sealer.seal(1, {}, opus, ciphertext.data(), tag.data());
  dave::frame_cipher opener(key, dave::frame_cipher::direction::open);
  bytes plaintext(size);
  const double open = ns_per_packet(min_cpu, [&] {
    for (int i = 0; i < batch; ++i) sink += opener.open(1, {}, ciphertext, tag, plaintext.data()) ? 1 : 0;
  });
  if (sink == 0) throw std::runtime_error("the benchmark produced nothing");

  return {{"opus_bytes", size},
          {"encrypt_ns", encrypt},
          {"decrypt_ns", decrypt},
          {"seal_only_ns", seal},
          {"open_only_ns", open},
          {"encrypted_streams_per_core", 1e9 / (encrypt * packets_per_second)},
          {"decrypted_streams_per_core", 1e9 / (decrypt * packets_per_second)}};
}

}  // namespace

int run_dave_bench(const dave_bench_options& options) {
  json::array sizes;
  for (const std::size_t size : {20u, 40u, 80u, 120u, 160u}) sizes.push_back(measure(size, options.seconds));
  constexpr int member_counts[] = {2, 25, 99};
  const auto groups = bench::time_mls_group_operations(member_counts, 5);
  const json::object report{{"benchmark", "dave"}, {"batch", batch}, {"sizes", sizes}, {"groups", groups}};
  if (options.json) {
    fmt::print("{}\n", json::serialize(report));
    return 0;
  }
  fmt::print("{:>6} {:>11} {:>11} {:>9} {:>9} {:>16}\n", "bytes", "encrypt ns", "decrypt ns", "seal ns", "open ns",
             "enc streams/core");
  for (const auto& entry : sizes) {
    const auto& s = entry.as_object();
    fmt::print("{:>6} {:>11.0f} {:>11.0f} {:>9.0f} {:>9.0f} {:>16.0f}\n", s.at("opus_bytes").to_number<double>(),
               s.at("encrypt_ns").as_double(), s.at("decrypt_ns").as_double(), s.at("seal_only_ns").as_double(),
               s.at("open_only_ns").as_double(), s.at("encrypted_streams_per_core").as_double());
  }
  fmt::print("\n{:>8} {:>12} {:>12} {:>12} {:>14} {:>14}\n", "members", "add commit", "add apply", "welcome join",
             "remove commit", "remove apply");
  for (const auto& entry : groups) {
    const auto& g = entry.as_object();
    fmt::print("{:>8} {:>9.2f} ms {:>9.2f} ms {:>9.2f} ms {:>11.2f} ms {:>11.2f} ms\n", g.at("members").to_number<int>(),
               g.at("add_commit_ms").as_double(), g.at("add_apply_ms").as_double(), g.at("welcome_join_ms").as_double(),
               g.at("remove_commit_ms").as_double(), g.at("remove_apply_ms").as_double());
  }
  return 0;
}

}  // namespace spence::app
