#pragma once
// Errors found in EBML bytes already held in memory. They read like byte_reader::fail's, with the
// absolute offset in the stream, so a message points at the same byte whichever path found it.

#include "engine/media_error.hpp"

#include <cstdint>
#include <string_view>

namespace spence::engine {

[[noreturn]] void throw_ebml_error(media_errc code, std::string_view source, std::uint64_t offset,
                                   std::string_view detail);

}  // namespace spence::engine
