#pragma once
// Standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /), as Lavalink's tracks travel in JSON and
// query strings. Encoding pads with '='. Decoding accepts what java.util.Base64's basic decoder
// accepts, so a track Lavalink would take is taken here too: padding optional, but when present
// it must be complete and last; no whitespace, no URL-safe alphabet, no lone final character.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace spence::net::lavalink {

std::string base64_encode(std::span<const std::uint8_t> bytes);

// nullopt when `text` is not base64 by the rules above.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace spence::net::lavalink
