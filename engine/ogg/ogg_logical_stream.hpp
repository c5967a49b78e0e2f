#pragma once
// Owns a libogg ogg_stream_state (one logical bitstream: packets in, pages out, or pages in,
// packets out), so that every path out of a demuxer or writer releases libogg's buffers.

#include <ogg/ogg.h>

#include <cstdint>

namespace spence::engine {

class ogg_logical_stream {
 public:
  explicit ogg_logical_stream(std::uint32_t serial) { ogg_stream_init(&state_, static_cast<int>(serial)); }
  ~ogg_logical_stream() { ogg_stream_clear(&state_); }
  ogg_logical_stream(const ogg_logical_stream&) = delete;
  ogg_logical_stream& operator=(const ogg_logical_stream&) = delete;

  ogg_stream_state* get() noexcept { return &state_; }

 private:
  ogg_stream_state state_{};
};

}  // namespace spence::engine
