#pragma once
// What the emulator checks of every audio stream it receives, per SSRC: RTP continuity (packets
// lost, duplicated, late or reordered; timestamps that do not advance 960 per packet), pacing
// (RFC 3550 interarrival jitter, and how far each packet's arrival spacing strays from its
// timestamp spacing), and the audio itself (every payload decoded by libopus; silence frames
// counted). Optionally each stream is written to an Ogg Opus file, for listening or comparing.
//
// One strand at a time.

#include "engine/player/lateness_histogram.hpp"
#include "net/voice/rtp_packet.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

namespace spence::net {

struct stream_stats {
  std::uint32_t ssrc = 0;
  std::uint64_t packets = 0;          // accepted in order (decoded or not)
  std::uint64_t lost = 0;             // sequence numbers skipped
  std::uint64_t duplicates = 0;
  std::uint64_t late = 0;             // arrived after a later packet (reordered); dropped
  std::uint64_t timestamp_jumps = 0;  // timestamp step other than 960 per sequence step
  std::uint64_t decode_errors = 0;    // payloads libopus (or the Ogg writer) refused
  std::uint64_t silence_frames = 0;   // F8 FF FE
  std::uint64_t end_to_end_encrypted = 0;  // DAVE frames: forwarded, not decodable here
  double jitter_ms = 0;               // RFC 3550 interarrival jitter
  engine::lateness_histogram::summary spacing_error;  // |arrival spacing - timestamp spacing|
};

class stream_checker {
 public:
  using clock = std::chrono::steady_clock;

  // With `ogg_dir`, each SSRC's audio is written to "<ogg_dir>/<ssrc>.ogg". Without
  // `decode_audio`, payloads are not decoded (decode_errors stays 0): decoding costs far more than
  // the rest of the checks, and a benchmark of thousands of streams checks continuity and pacing.
  explicit stream_checker(std::optional<std::filesystem::path> ogg_dir = std::nullopt, bool decode_audio = true);
  ~stream_checker();
  stream_checker(const stream_checker&) = delete;
  stream_checker& operator=(const stream_checker&) = delete;

  // A received packet: its header and its transport-decrypted payload (Opus, or with
  // `end_to_end_encrypted` a DAVE frame: continuity and pacing are checked, the audio is not), and
  // when it arrived.
  void add(const rtp_header& header, std::span<const std::uint8_t> opus, bool end_to_end_encrypted,
           clock::time_point arrival);

  std::vector<stream_stats> stats() const;  // by SSRC
  // Ends the Ogg files (also done by the destructor).
  void finish();

 private:
  struct stream;
  stream& stream_of(std::uint32_t ssrc);

  std::optional<std::filesystem::path> ogg_dir_;
  bool decode_audio_;
  std::unordered_map<std::uint32_t, std::unique_ptr<stream>> streams_;  // looked up per packet
};

}  // namespace spence::net
