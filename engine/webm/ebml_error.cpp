#include "engine/webm/ebml_error.hpp"

#include <fmt/format.h>

namespace spence::engine {

void throw_ebml_error(media_errc code, std::string_view source, std::uint64_t offset, std::string_view detail) {
  throw media_error(code, source, fmt::format("at byte {}: {}", offset, detail));
}

}  // namespace spence::engine
