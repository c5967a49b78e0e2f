#include "engine/opus_packet_samples.hpp"

#include <opus/opus.h>

#include <limits>

namespace spence::engine {

std::optional<std::int32_t> opus_packet_samples(std::span<const std::uint8_t> packet) {
  if (packet.empty() || packet.size() > static_cast<std::size_t>(std::numeric_limits<opus_int32>::max()))
    return std::nullopt;
  const int n = opus_packet_get_nb_samples(packet.data(), static_cast<opus_int32>(packet.size()), 48000);
  if (n <= 0) return std::nullopt;
  return n;
}

}  // namespace spence::engine
