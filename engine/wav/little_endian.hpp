#pragma once
// Little-endian integers at a byte position: RIFF stores every field this way.

#include <cstdint>

namespace spence::engine::le {

inline std::uint16_t u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }

inline std::uint32_t u32(const std::uint8_t* p) { return static_cast<std::uint32_t>(u16(p)) | static_cast<std::uint32_t>(u16(p + 2)) << 16; }

inline std::uint64_t u64(const std::uint8_t* p) { return static_cast<std::uint64_t>(u32(p)) | static_cast<std::uint64_t>(u32(p + 4)) << 32; }

}  // namespace spence::engine::le
