// The Lavalink node's PATCH bodies (player updates, with their filters): any bytes give a player
// update or a message, and what was read is within Lavalink's ranges.

#include "net/lavalink/player_update.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto update = spence::net::lavalink::parse_player_update(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!update) {
    if (update.error().empty()) std::abort();  // every refusal says why
    return 0;
  }
  if (update->volume && (*update->volume < 0 || *update->volume > 1000)) std::abort();
  if (update->position_ms && *update->position_ms < 0) std::abort();
  if (update->end_time_ms && *update->end_time_ms && **update->end_time_ms <= 0) std::abort();
  return 0;
}
