#pragma once
// Matroska time to the 48 kHz sample clock of opus_packet. Matroska counts in ticks of
// TimestampScale nanoseconds (1 ms by default; mkvmerge picks 20832 ns for Opus); converting
// rounds to the nearest sample, as the muxer rounded samples to the nearest tick.

#include <cstdint>
#include <optional>

namespace spence::engine {

inline constexpr std::uint64_t matroska_default_timestamp_scale = 1'000'000;

// ticks * scale_ns in 48 kHz samples; nullopt when the time lies beyond what int64 nanoseconds
// hold (about 292 years), which only a corrupt file says.
std::optional<std::int64_t> matroska_ticks_to_samples(std::int64_t ticks, std::uint64_t scale_ns) noexcept;

// A count of ticks stored as an unsigned integer (cluster and cue timestamps).
std::optional<std::int64_t> matroska_ticks_to_samples(std::uint64_t ticks, std::uint64_t scale_ns) noexcept;

// A float duration in ticks (Info/Duration); nullopt when not finite, negative or out of range.
std::optional<std::int64_t> matroska_duration_to_samples(double ticks, std::uint64_t scale_ns) noexcept;

}  // namespace spence::engine
