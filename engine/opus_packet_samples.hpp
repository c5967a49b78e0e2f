#pragma once
// How many 48 kHz samples an Opus packet decodes to, read from its TOC byte and frame count
// (RFC 6716 section 3.1): what advances Ogg granule positions and demuxed timestamps, and what
// decides whether a packet can pass through.

#include <cstdint>
#include <optional>
#include <span>

namespace spence::engine {

// nullopt for an empty packet or one whose TOC describes no valid duration (over 120 ms, a code 3
// packet without its frame count byte).
std::optional<std::int32_t> opus_packet_samples(std::span<const std::uint8_t> packet);

}  // namespace spence::engine
