#pragma once
// What the Ogg tests share: opening bytes as a demuxer, reading every packet, ffprobe's packet
// lists, a source that counts what it is asked, and a page builder for
// streams no encoder would write (each page's CRC set by libogg).

#include "engine/byte_reader.hpp"
#include "engine/memory_source.hpp"
#include "engine/ogg/ogg_demuxer.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/stream_source.hpp"

#include <ogg/ogg.h>

#include <algorithm>
#include <fstream>
#include <optional>
#include <ostream>
#include <string>

namespace spence::test {

using engine::byte_reader;
using engine::media_errc;
using engine::media_error;
using engine::memory_source;
using engine::opus_demuxer;

struct packet_copy {
  std::vector<std::uint8_t> bytes;
  std::int64_t timestamp = 0;
  std::uint32_t stream_index = 0;
  bool operator==(const packet_copy&) const = default;
};

inline void PrintTo(const packet_copy& p, std::ostream* os) {
  *os << "{" << p.bytes.size() << " bytes at " << p.timestamp << ", stream " << p.stream_index << "}";
}

inline packet_copy copy_of(const engine::opus_packet& p) {
  return {{p.data.begin(), p.data.end()}, p.timestamp, p.stream_index};
}

// A source over bytes that counts the bytes read and the seeks.
class counting_source final : public engine::byte_source {
 public:
  counting_source(std::vector<std::uint8_t> bytes, std::uint64_t& bytes_read, int& seeks, bool seekable = true)
      : inner_(std::move(bytes), "counted.opus"), bytes_read_(bytes_read), seeks_(seeks), seekable_(seekable) {}
  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = inner_.read(out);
    bytes_read_ += n;
    return n;
  }
  bool seekable() const override { return seekable_; }
  void seek(std::uint64_t offset) override {
    if (!seekable_) throw media_error(media_errc::not_seekable, inner_.name(), "counted forward only");
    ++seeks_;
    inner_.seek(offset);
  }
  std::optional<std::uint64_t> size() const override { return inner_.size(); }
  std::size_t available() const override { return inner_.available(); }
  const std::string& name() const override { return inner_.name(); }

 private:
  memory_source inner_;
  std::uint64_t& bytes_read_;
  int& seeks_;
  bool seekable_;
};

inline std::unique_ptr<opus_demuxer> open_bytes(std::vector<std::uint8_t> bytes, std::string name = "test.opus") {
  return engine::open_ogg(std::make_unique<byte_reader>(std::make_unique<memory_source>(std::move(bytes), std::move(name))));
}

inline std::unique_ptr<opus_demuxer> open_live(std::vector<std::uint8_t> bytes) {
  return engine::open_ogg(std::make_unique<byte_reader>(std::make_unique<stream_source>(std::move(bytes), 1000, "live.opus")));
}

inline std::vector<packet_copy> read_all(opus_demuxer& demuxer) {
  std::vector<packet_copy> out;
  while (const auto p = demuxer.next()) out.push_back(copy_of(*p));
  return out;
}

// Runs `f` and returns the code of the media_error it throws; fails the test when it throws none.
template <typename F>
media_errc error_of(F&& f) {
  try {
    f();
  } catch (const media_error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no media_error";
  return media_errc::io;
}

struct probed_packet {
  std::int64_t pts = 0;
  std::int64_t duration = 0;
  std::size_t size = 0;
};

// The packet list the fixture script saved from ffprobe for `name`.
inline std::vector<probed_packet> ffprobe_packets(const std::string& name) {
  std::ifstream in(fixture(name + ".packets"));
  std::vector<probed_packet> out;
  std::string line;
  while (std::getline(in, line)) {
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = line.substr(0, eq);
    const std::string value = line.substr(eq + 1);
    if (key == "pts") out.emplace_back().pts = std::stoll(value);
    else if (key == "duration" && !out.empty()) out.back().duration = std::stoll(value);
    else if (key == "size" && !out.empty()) out.back().size = std::stoul(value);
  }
  return out;
}

// Start offsets of the pages, read from their headers (the input must be intact).
inline std::vector<std::size_t> page_offsets(const std::vector<std::uint8_t>& bytes) {
  std::vector<std::size_t> out;
  for (std::size_t at = 0; at + 27 <= bytes.size();) {
    out.push_back(at);
    std::size_t body = 0;
    for (int i = 0; i < bytes[at + 26]; ++i) body += bytes[at + 27 + i];
    at += 27 + bytes[at + 26] + body;
  }
  return out;
}

// Ogg pages assembled by hand, for streams no encoder would write.
class page_builder {
 public:
  static constexpr std::uint8_t continued = 1, bos = 2, eos = 4;

  // A complete packet on the page under construction.
  page_builder& packet(std::span<const std::uint8_t> bytes) {
    for (std::size_t n = bytes.size(); ; n -= 255) {
      lacing_.push_back(static_cast<std::uint8_t>(std::min<std::size_t>(n, 255)));
      if (n < 255) break;
    }
    body_.insert(body_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  // The start (or middle) of a packet that continues on the next page: a multiple of 255 bytes.
  page_builder& open_packet(std::span<const std::uint8_t> bytes) {
    EXPECT_EQ(bytes.size() % 255, 0u);
    lacing_.insert(lacing_.end(), bytes.size() / 255, 255);
    body_.insert(body_.end(), bytes.begin(), bytes.end());
    return *this;
  }
  // Appends the page to `out` and starts the next one.
  void end_page(std::vector<std::uint8_t>& out, std::uint32_t serial, std::uint32_t sequence, std::uint8_t flags,
                std::int64_t granule) {
    std::vector<std::uint8_t> header{'O', 'g', 'g', 'S', 0, flags};
    for (int i = 0; i < 8; ++i) header.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(granule) >> (8 * i)));
    for (int i = 0; i < 4; ++i) header.push_back(static_cast<std::uint8_t>(serial >> (8 * i)));
    for (int i = 0; i < 4; ++i) header.push_back(static_cast<std::uint8_t>(sequence >> (8 * i)));
    header.insert(header.end(), 4, 0);  // CRC, set below
    header.push_back(static_cast<std::uint8_t>(lacing_.size()));
    header.insert(header.end(), lacing_.begin(), lacing_.end());
    ogg_page page{header.data(), static_cast<long>(header.size()), body_.data(), static_cast<long>(body_.size())};
    ogg_page_checksum_set(&page);
    out.insert(out.end(), header.begin(), header.end());
    out.insert(out.end(), body_.begin(), body_.end());
    lacing_.clear();
    body_.clear();
  }

 private:
  std::vector<std::uint8_t> lacing_;
  std::vector<std::uint8_t> body_;
};

// `segments` lacing segments' worth of bytes that start like a 20 ms packet, for open packets.
inline std::vector<std::uint8_t> segments_of(std::size_t segments, std::uint8_t fill = 0xF8) {
  return std::vector<std::uint8_t>(segments * 255, fill);
}

// A 20 ms CELT packet (TOC 0xF8: 960 samples) of `size` bytes.
inline std::vector<std::uint8_t> opus_20ms(std::size_t size = 40) {
  std::vector<std::uint8_t> p(size, 0x55);
  p[0] = 0xF8;
  return p;
}

inline engine::opus_head make_head(std::uint8_t channels = 2, std::uint16_t pre_skip = 312) {
  engine::opus_head head;
  head.channels = channels;
  head.pre_skip = pre_skip;
  head.input_sample_rate = 48000;
  head.coupled_count = channels == 2 ? 1 : 0;
  return head;
}

inline std::vector<std::uint8_t> opus_head_bytes(std::uint8_t channels = 2, std::uint16_t pre_skip = 312) {
  return engine::serialize_opus_head(make_head(channels, pre_skip));
}

inline std::vector<std::uint8_t> opus_tags_bytes(std::string_view vendor = "test") {
  std::vector<std::uint8_t> out{'O', 'p', 'u', 's', 'T', 'a', 'g', 's', static_cast<std::uint8_t>(vendor.size()), 0, 0, 0};
  out.insert(out.end(), vendor.begin(), vendor.end());
  out.insert(out.end(), 4, 0);
  return out;
}

// OpusHead and OpusTags pages of stream `serial`, as an encoder writes them.
inline std::vector<std::uint8_t> opus_headers(std::uint32_t serial = 7, std::uint16_t pre_skip = 312) {
  std::vector<std::uint8_t> out;
  page_builder b;
  b.packet(opus_head_bytes(2, pre_skip)).end_page(out, serial, 0, page_builder::bos, 0);
  b.packet(opus_tags_bytes()).end_page(out, serial, 1, 0, 0);
  return out;
}

// Headers, then `pages` audio pages of `per_page` 20 ms packets, the last page flagged EOS.
inline std::vector<std::uint8_t> synthetic_opus(int pages, int per_page, std::int64_t first_granule_offset = 0) {
  std::vector<std::uint8_t> out = opus_headers();
  page_builder b;
  std::int64_t granule = first_granule_offset;
  for (int p = 0; p < pages; ++p) {
    for (int i = 0; i < per_page; ++i) b.packet(opus_20ms(30 + (p * per_page + i) % 50));
    granule += 960 * per_page;
    b.end_page(out, 7, static_cast<std::uint32_t>(2 + p), p + 1 == pages ? page_builder::eos : 0, granule);
  }
  return out;
}

}  // namespace spence::test
