#include "engine/ogg/ogg_page_reader.hpp"

#include "engine/ogg/ogg_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace spence::engine {
namespace {

// Read size per refill: a few pages of a typical stream, small next to libogg's page buffer.
constexpr long feed_bytes = 8192;

}  // namespace

ogg_page_reader::ogg_page_reader(std::unique_ptr<byte_reader> reader) : reader_(std::move(reader)) {
  ogg_sync_init(&sync_);
  consumed_ = reader_->position();
}

ogg_page_reader::~ogg_page_reader() { ogg_sync_clear(&sync_); }

bool ogg_page_reader::feed() {
  char* buffer = ogg_sync_buffer(&sync_, feed_bytes);
  if (buffer == nullptr) fail(media_errc::limit_exceeded, "libogg could not grow its page buffer");
  const std::size_t got = reader_->read_some(
      std::span(reinterpret_cast<std::uint8_t*>(buffer), static_cast<std::size_t>(feed_bytes)));
  if (got == 0) return false;
  ogg_sync_wrote(&sync_, static_cast<long>(got));
  return true;
}

std::optional<ogg_page_at> ogg_page_reader::next() {
  ended_inside_page_ = false;
  for (;;) {
    ogg_page_at at;
    const long n = ogg_sync_pageseek(&sync_, &at.page);
    if (n > 0) {
      at.offset = page_offset_ = consumed_;
      at.size = static_cast<std::uint64_t>(n);
      consumed_ += at.size;
      unsynced_ = 0;
      found_page_ = true;
      return at;
    }
    if (n < 0) {
      consumed_ += static_cast<std::uint64_t>(-n);
      unsynced_ += static_cast<std::uint64_t>(-n);
      if (unsynced_ > ogg_limits::max_unsynced_bytes)
        fail_at(consumed_, media_errc::malformed,
                fmt::format("no valid Ogg page in the last {} bytes (junk or corrupt pages)", unsynced_));
      continue;
    }
    if (!feed()) {
      note_end();
      return std::nullopt;
    }
  }
}

void ogg_page_reader::note_end() {
  // libogg has no accessor for the bytes it holds unsettled; ogg_sync_state's fields are public.
  const auto* rest = sync_.data + sync_.returned;
  const auto left = static_cast<std::size_t>(sync_.fill - sync_.returned);
  ended_inside_page_ = left > 0 && std::memcmp(rest, "OggS", std::min<std::size_t>(left, 4)) == 0;
  if (!found_page_ && !ended_inside_page_ && consumed_ + left > 0)
    fail_at(0, media_errc::malformed, fmt::format("no Ogg page in the {} bytes of input", consumed_ + left));
}

void ogg_page_reader::seek(std::uint64_t offset) {
  reader_->seek(offset);
  ogg_sync_reset(&sync_);
  consumed_ = page_offset_ = offset;
  unsynced_ = 0;
  ended_inside_page_ = false;
}

void ogg_page_reader::fail(media_errc code, std::string_view detail) const { fail_at(page_offset_, code, detail); }

void ogg_page_reader::fail_at(std::uint64_t offset, media_errc code, std::string_view detail) const {
  throw media_error(code, reader_->source_name(), fmt::format("at byte {}: {}", offset, detail));
}

std::uint64_t open_packet_bytes(const ogg_page& page) noexcept {
  const int segments = page.header[26];
  std::uint64_t open = 0;
  for (int i = 0; i < segments; ++i) {
    const std::uint8_t lacing = page.header[27 + i];
    open = lacing < 255 ? 0 : open + lacing;
  }
  return open;
}

bool ends_with_single_packet(const ogg_page& page) noexcept {
  const int segments = page.header[26];
  return ogg_page_packets(&page) == 1 && segments > 0 && page.header[27 + segments - 1] < 255;
}

std::uint32_t page_serial(const ogg_page& page) noexcept {
  return static_cast<std::uint32_t>(ogg_page_serialno(&page));
}

}  // namespace spence::engine
