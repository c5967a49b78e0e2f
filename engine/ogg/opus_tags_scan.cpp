#include "engine/ogg/opus_tags_scan.hpp"

#include "engine/ogg/ogg_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace spence::engine {

bool opus_tags_scan::add(const ogg_page& page, const ogg_page_reader& pages) {
  if (size_ == 0 && ogg_page_continued(&page))
    pages.fail(media_errc::malformed, "the page after OpusHead continues a packet instead of starting OpusTags");
  const auto body = std::span<const std::uint8_t>(page.body, static_cast<std::size_t>(page.body_len));
  const std::size_t take = std::min(body.size(), prefix_.size() - prefix_fill_);
  std::copy_n(body.begin(), take, prefix_.begin() + static_cast<std::ptrdiff_t>(prefix_fill_));
  prefix_fill_ += take;
  size_ += body.size();
  if (prefix_fill_ >= 8 && std::memcmp(prefix_.data(), "OpusTags", 8) != 0)
    pages.fail(media_errc::malformed, "OpusTags missing: the second packet of the Opus stream has another signature");
  if (size_ > ogg_limits::max_tags_bytes)
    pages.fail(media_errc::limit_exceeded, fmt::format("OpusTags larger than {} bytes", ogg_limits::max_tags_bytes));
  if (ogg_page_packets(&page) == 0) return false;
  // RFC 7845 section 3: the tags end their last page and audio starts on a fresh one.
  if (!ends_with_single_packet(page))
    pages.fail(media_errc::malformed, "OpusTags does not end its page (RFC 7845 section 3)");
  if (prefix_fill_ < prefix_.size())
    pages.fail(media_errc::malformed, fmt::format("OpusTags of {} bytes, shorter than its fixed fields", size_));
  const std::uint64_t vendor = static_cast<std::uint64_t>(prefix_[8]) | static_cast<std::uint64_t>(prefix_[9]) << 8 |
                               static_cast<std::uint64_t>(prefix_[10]) << 16 | static_cast<std::uint64_t>(prefix_[11]) << 24;
  if (vendor > size_ - prefix_.size())
    pages.fail(media_errc::malformed,
               fmt::format("OpusTags vendor string of {} bytes does not fit its {}-byte packet", vendor, size_));
  return true;
}

}  // namespace spence::engine
