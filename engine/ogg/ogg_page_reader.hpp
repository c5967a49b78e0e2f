#pragma once
// Ogg pages from a byte reader. libogg (ogg_sync) finds the capture pattern and checks each page's
// CRC; a page that fails is skipped like junk. This class adds what libogg leaves out: the byte
// offset of every page (for seeking), a bound on bytes scanned without a page, and whether the
// input ended inside a page.

#include "engine/byte_reader.hpp"

#include <ogg/ogg.h>

#include <memory>
#include <optional>

namespace spence::engine {

struct ogg_page_at {
  ogg_page page{};           // points into the reader's buffer: valid until its next call
  std::uint64_t offset = 0;  // where the page starts in the source
  std::uint64_t size = 0;    // header and body bytes
};

class ogg_page_reader {
 public:
  explicit ogg_page_reader(std::unique_ptr<byte_reader> reader);
  ~ogg_page_reader();
  ogg_page_reader(const ogg_page_reader&) = delete;
  ogg_page_reader& operator=(const ogg_page_reader&) = delete;

  // The next page whose CRC checks out, or nullopt at the end of the input. Throws
  // media_error(malformed) after ogg_limits::max_unsynced_bytes without a page, and when the
  // input ends without ever holding one.
  std::optional<ogg_page_at> next();

  // After next() returned nullopt: whether the input stopped inside a page (its capture pattern
  // or more was there), as a cut download does. Trailing junk does not count.
  bool ended_inside_page() const noexcept { return ended_inside_page_; }

  // Moves to a byte offset; the next page is the first one starting at or after it.
  void seek(std::uint64_t offset);

  // The byte after the last page returned (or the offset sought to).
  std::uint64_t position() const noexcept { return consumed_; }
  bool seekable() const { return reader_->seekable(); }
  std::optional<std::uint64_t> size() const { return reader_->size(); }
  const std::string& source_name() const { return reader_->source_name(); }

  // Throws media_error(code) naming the source and the offset of the last page returned.
  [[noreturn]] void fail(media_errc code, std::string_view detail) const;

 private:
  // Reads more bytes into libogg's buffer; false at the end of the input.
  bool feed();
  void note_end();
  [[noreturn]] void fail_at(std::uint64_t offset, media_errc code, std::string_view detail) const;

  std::unique_ptr<byte_reader> reader_;
  ogg_sync_state sync_{};
  std::uint64_t consumed_ = 0;   // offset of the first byte libogg has not settled
  std::uint64_t unsynced_ = 0;   // bytes skipped since the last page
  std::uint64_t page_offset_ = 0;
  bool found_page_ = false;
  bool ended_inside_page_ = false;
};

// Bytes at the end of a page that belong to a packet continued on the next page: those after
// the last lacing value below 255 (the whole body when there is none).
std::uint64_t open_packet_bytes(const ogg_page& page) noexcept;

// Whether exactly one packet ends on the page, at its very end, and none continues past it.
bool ends_with_single_packet(const ogg_page& page) noexcept;

std::uint32_t page_serial(const ogg_page& page) noexcept;

}  // namespace spence::engine
