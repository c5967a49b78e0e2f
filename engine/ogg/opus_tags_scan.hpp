#pragma once
// Follows the OpusTags packet (RFC 7845 section 5.2) across its pages without holding it: the
// demuxer does not use tags, and cover art makes them large. Checks the signature and that the
// vendor string fits, bounds the size, and says when the packet, and so the headers, end.

#include "engine/ogg/ogg_page_reader.hpp"

#include <array>

namespace spence::engine {

class opus_tags_scan {
 public:
  // Takes the next page of the Opus stream after OpusHead. Returns true when the tags end on it
  // (audio begins on the next page). Throws media_error through `pages` (malformed,
  // limit_exceeded).
  bool add(const ogg_page& page, const ogg_page_reader& pages);

 private:
  // The first 16 bytes: the signature and the vendor string length, then the 4 bytes without
  // which not even an empty vendor string and a comment count would fit.
  std::array<std::uint8_t, 16> prefix_{};
  std::size_t prefix_fill_ = 0;
  std::uint64_t size_ = 0;
};

}  // namespace spence::engine
