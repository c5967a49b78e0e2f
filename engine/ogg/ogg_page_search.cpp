#include "engine/ogg/ogg_page_search.hpp"

#include "engine/ogg/ogg_limits.hpp"

#include <algorithm>

namespace spence::engine {
namespace {

struct timed_page {
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::int64_t granule = 0;
};

// The next page of `serial` that starts before `end` and times its packets by working back from
// its granule position: packets end on it, and it is not the end-of-stream page, whose granule
// position may cut the last packet short (RFC 7845 section 4.4).
std::optional<timed_page> next_timed_page(ogg_page_reader& pages, std::uint32_t serial, std::uint64_t end) {
  while (auto at = pages.next()) {
    if (at->offset >= end) return std::nullopt;
    const std::int64_t granule = ogg_page_granulepos(&at->page);
    if (page_serial(at->page) == serial && granule >= 0 && !ogg_page_eos(&at->page))
      return timed_page{at->offset, at->size, granule};
  }
  return std::nullopt;
}

}  // namespace

ogg_tail probe_tail(ogg_page_reader& pages, std::uint32_t serial, std::span<const std::uint32_t> link_serials,
                    std::uint64_t begin, std::uint64_t end) {
  for (std::uint64_t window = ogg_limits::first_tail_window;; window *= 4) {
    const std::uint64_t from = end - begin > window ? end - window : begin;
    pages.seek(from);
    ogg_tail tail;
    while (auto at = pages.next()) {
      const std::uint32_t s = page_serial(at->page);
      if (ogg_page_bos(&at->page) || std::find(link_serials.begin(), link_serials.end(), s) == link_serials.end())
        return {std::nullopt, true};
      const std::int64_t granule = ogg_page_granulepos(&at->page);
      if (s == serial && granule >= 0) tail.last_granule = granule;
    }
    if (tail.last_granule || from == begin || window >= ogg_limits::last_tail_window) return tail;
  }
}

std::optional<std::uint64_t> find_page_before(ogg_page_reader& pages, std::uint32_t serial, std::int64_t granule,
                                              std::uint64_t begin, std::uint64_t end) {
  std::optional<std::uint64_t> best;
  // Invariant: the page sought is `best` or starts in [lo, hi).
  std::uint64_t lo = begin;
  std::uint64_t hi = end;
  for (int step = 0; step < ogg_limits::max_bisection_steps && hi - lo > ogg_limits::linear_scan_bytes; ++step) {
    const std::uint64_t mid = lo + (hi - lo) / 2;
    pages.seek(mid);
    const auto page = next_timed_page(pages, serial, hi);
    if (page && page->granule < granule) {
      best = page->offset;
      lo = page->offset + page->size;
    } else {
      hi = mid;
    }
  }
  pages.seek(lo);
  while (const auto page = next_timed_page(pages, serial, hi)) {
    if (page->granule >= granule) break;
    best = page->offset;
  }
  return best;
}

}  // namespace spence::engine
