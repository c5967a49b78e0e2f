#pragma once
// A sink that discards every packet and counts it: the destination of benchmarks, which measure
// the cost of producing frames and nothing else.

#include "engine/player/packet_sink.hpp"

namespace spence::engine {

class null_sink final : public packet_sink {
 public:
  void send(const outgoing_frame& frame) override;
  void flush() override;
  sink_counters counters() const override;

 private:
  std::uint64_t sent_ = 0;
};

}  // namespace spence::engine
