#pragma once
// A sink that records a player's packets to an Ogg Opus file, exactly as they would go to the wire
// (ogg_opus_writer, so the same packets make the same bytes).
//
// A failure never leaves send() or flush(): the tick must go on whatever the disk does. A packet
// the writer refuses (no valid Opus duration) is dropped; once the file fails (disk full, I/O
// error) every later packet is dropped too, since the stream behind the failure is broken. Each
// kind of failure is logged once. `sent` counts packets the writer accepted: the writer and the
// file buffer them, so a failure shows some packets after the first ones it loses, which were
// counted as sent.

#include "engine/ogg/ogg_opus_writer.hpp"
#include "engine/opus_head.hpp"
#include "engine/player/packet_sink.hpp"

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>

namespace spence::engine {

class ogg_file_sink final : public packet_sink {
 public:
  // Creates (or truncates) the file and writes the Ogg Opus headers for `head`. Throws
  // media_error(io) naming the path and the system's reason when the file cannot be created.
  ogg_file_sink(const std::filesystem::path& path, const opus_head& head, std::uint32_t serial);

  void send(const outgoing_frame& frame) override;
  // Ends the stream (the last page flagged end-of-stream) and flushes the file. Later packets are
  // dropped: the stream is complete.
  void flush() override;
  sink_counters counters() const override { return {.sent = sent_, .dropped = dropped_}; }

 private:
  enum class failure : unsigned { refused_packet = 1, file_failed = 2, after_end = 4 };
  // Logs `what` unless a failure of the same kind was logged before.
  void log_once(failure kind, std::string_view what);

  std::string path_;
  std::ofstream file_;
  std::optional<ogg_opus_writer> writer_;  // reset once the stream is complete or the file failed
  bool file_failed_ = false;
  unsigned logged_ = 0;  // failure bits already logged
  std::uint64_t sent_ = 0;
  std::uint64_t dropped_ = 0;
};

}  // namespace spence::engine
