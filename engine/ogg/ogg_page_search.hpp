#pragma once
// Finding pages by byte position in a seekable Ogg source: the tail (for the duration, and to tell
// a single stream from a chain) and bisection over granule positions (for seeking).

#include "engine/ogg/ogg_page_reader.hpp"

#include <span>

namespace spence::engine {

struct ogg_tail {
  // The last granule position of the followed stream found near the end.
  std::optional<std::int64_t> last_granule;
  // Whether the end belongs to another link: a beginning-of-stream page or an unknown serial.
  bool chained = false;
};

// Reads the last pages of [begin, end) (a bounded window, widened a few times while the followed
// stream has no page in it). `link_serials` are the streams of the first link. Leaves `pages`
// anywhere.
ogg_tail probe_tail(ogg_page_reader& pages, std::uint32_t serial, std::span<const std::uint32_t> link_serials,
                    std::uint64_t begin, std::uint64_t end);

// The offset of the last page of `serial` in [begin, end) whose granule position is below
// `granule`, the end-of-stream page aside, or nullopt when no page is. Granule positions of one stream never decrease, so
// bisection applies; it ends with a linear scan of a short span. Leaves `pages` anywhere.
std::optional<std::uint64_t> find_page_before(ogg_page_reader& pages, std::uint32_t serial, std::int64_t granule,
                                              std::uint64_t begin, std::uint64_t end);

}  // namespace spence::engine
