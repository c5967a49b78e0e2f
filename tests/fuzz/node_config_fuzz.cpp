// libFuzzer target for the node's TOML configuration. Beyond "no crash": a configuration that is
// accepted describes itself as TOML that is accepted again and describes itself identically (the
// password aside, which describe() redacts), so the startup log shows what the node runs with.

#include "app/node_config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto config = spence::app::parse_node_config(text, "fuzz.toml");
  if (!config) {
    if (config.error().problems.empty()) std::abort();  // a refusal always says why
    return 0;
  }
  const std::string described = spence::app::describe(*config);
  const auto again = spence::app::parse_node_config(described, "described.toml");
  if (!again || spence::app::describe(*again) != described) std::abort();
  return 0;
}
