#pragma once
// Writes Opus packets as an Ogg Opus stream (RFC 7845): OpusHead and OpusTags pages, then audio
// pages whose granule positions count the 48 kHz samples of the packets. Used to record what
// spence sends and to render tracks to files (`spence render`), so the output is byte-for-byte the
// same for the same packets and serial: libogg pages deterministically and nothing else varies.
//
// Pages go out when libogg fills one (about 4 KiB) and at least every second of audio, so a reader
// following the file live sees data soon. The newest packet is held back until the next one (or
// finish()) so that the last page can carry the end-of-stream flag.

#include "engine/opus_head.hpp"

#include <cstdint>
#include <memory>
#include <ostream>
#include <span>
#include <string>

namespace spence::engine {

class ogg_opus_writer {
 public:
  // Writes the OpusHead page and the OpusTags page (vendor string, no comments).
  // Throws media_error(io) when the stream fails.
  ogg_opus_writer(std::ostream& out, const opus_head& head, std::uint32_t serial, std::string vendor);
  // Calls finish() if it was not called, swallowing its errors (a destructor cannot report them).
  ~ogg_opus_writer();
  ogg_opus_writer(const ogg_opus_writer&) = delete;
  ogg_opus_writer& operator=(const ogg_opus_writer&) = delete;

  // Appends one packet; the granule position advances by its duration. Throws
  // media_error(malformed) for a packet with no valid duration (empty, bad TOC), media_error(io)
  // when the stream fails, and std::logic_error after finish().
  void write(std::span<const std::uint8_t> packet);

  // Writes the remaining pages, the last one flagged end-of-stream. Idempotent. A stream that got
  // no audio packet ends after its OpusTags page, without an end-of-stream flag (libogg cannot
  // write a page with no packet on it).
  void finish();

 private:
  struct state;
  std::unique_ptr<state> state_;
};

}  // namespace spence::engine
