#pragma once
// The byte types every MLS structure and primitive speaks in: owned bytes and a read-only view.

#include <cstdint>
#include <span>
#include <vector>

namespace spence::net::dave::mls {

using bytes = std::vector<std::uint8_t>;
using bytes_view = std::span<const std::uint8_t>;

}  // namespace spence::net::dave::mls
