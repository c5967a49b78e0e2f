#include "engine/ogg/ogg_demuxer.hpp"

#include "engine/ogg/demuxed_packet_queue.hpp"
#include "engine/ogg/ogg_codec.hpp"
#include "engine/ogg/ogg_limits.hpp"
#include "engine/ogg/ogg_logical_stream.hpp"
#include "engine/ogg/ogg_page_reader.hpp"
#include "engine/ogg/ogg_page_search.hpp"
#include "engine/opus_packet_samples.hpp"
#include "engine/ogg/opus_tags_scan.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spence::engine {
namespace {

class ogg_demuxer final : public opus_demuxer {
 public:
  explicit ogg_demuxer(std::unique_ptr<byte_reader> reader);

  const opus_stream_info& info() const override { return *info_; }
  std::optional<opus_packet> next() override;
  std::int64_t seek(std::int64_t timestamp) override;

 private:
  // Where reading is within the current link.
  enum class phase { bos_pages, tags, audio, link_ended };
  // How the packets of the next page that completes some get their timestamps.
  enum class anchor {
    link_start,  // the link's first audio page: its granule position fixes the link's start offset
    granule,     // after a seek or a lost page: back from the page's granule position
    running,     // forward, adding up packet durations
  };
  enum class seek_mode { bisection, rewind, forward_only };

  struct page_packet {
    std::span<const std::uint8_t> bytes;
    std::int32_t samples = 0;
  };

  void read_headers();
  bool fill();
  void handle(const ogg_page_at& at);
  void begin_link();
  void on_bos_page(const ogg_page& page);
  void on_tags_page(const ogg_page_at& at);
  void on_audio_page(const ogg_page& page);
  std::int64_t first_timestamp(const ogg_page& page, std::int64_t samples);
  [[noreturn]] void reject_link_without_opus() const;
  [[noreturn]] void headers_cut_short() const;
  void check_end() const;
  void restart_near(std::int64_t target);
  void rewind();
  std::int64_t forward_to(std::int64_t target);

  // What next() reads for a queued packet first, together in the object's first lines.
  demuxed_packet_queue queue_;
  std::shared_ptr<const opus_stream_info> info_;  // of the packet returned last
  std::uint64_t popped_ = 0;  // packets consumed since byte 0 (for seeking back without bisection)

  ogg_page_reader pages_;
  ogg_logical_stream stream_{0};
  std::vector<page_packet> page_packets_;         // the packets completed on the current page
  std::shared_ptr<opus_stream_info> link_info_;   // of the link being read

  // The link being read.
  phase phase_ = phase::bos_pages;
  std::optional<std::uint32_t> serial_;  // of the followed Opus stream
  std::vector<std::uint32_t> link_serials_;
  std::optional<ogg_codec> other_codec_;  // the first media stream that is not Opus
  opus_tags_scan tags_;
  std::uint32_t link_index_ = 0;
  std::uint32_t links_ = 0;
  std::uint64_t max_packet_bytes_ = 0;

  anchor anchor_ = anchor::link_start;
  std::int64_t next_ts_ = 0;        // where the packet after the last queued one starts
  std::int64_t link_base_ = 0;      // timestamp of the link's first packet
  std::int64_t start_granule_ = 0;  // granule position just before the link's first packet

  std::uint64_t open_packet_bytes_ = 0;  // of the packet continuing on the next page
  std::uint64_t bytes_without_packet_ = 0;

  // Learnt at open.
  seek_mode seek_mode_ = seek_mode::forward_only;
  std::uint64_t data_start_ = 0;  // the first page after the first link's headers
  std::optional<std::int64_t> duration_;
};

ogg_demuxer::ogg_demuxer(std::unique_ptr<byte_reader> reader) : pages_(std::move(reader)) {
  read_headers();
  const auto first_link = link_info_;
  std::optional<std::int64_t> last_granule;
  if (pages_.seekable()) {
    seek_mode_ = seek_mode::rewind;
    const auto size = pages_.size();
    if (size && *size >= data_start_) {
      const ogg_tail tail = probe_tail(pages_, *serial_, link_serials_, data_start_, *size);
      if (!tail.chained && tail.last_granule) {
        seek_mode_ = seek_mode::bisection;
        last_granule = tail.last_granule;
      }
      pages_.seek(data_start_);
    }
  }
  fill();  // the first audio page fixes the start offset, which the duration needs
  if (last_granule && *last_granule >= start_granule_) duration_ = *last_granule - start_granule_;
  first_link->duration = duration_;
  first_link->seekable = seek_mode_ != seek_mode::forward_only;
  info_ = queue_.empty() ? link_info_ : queue_.front().info;
}

void ogg_demuxer::read_headers() {
  begin_link();
  while (phase_ == phase::bos_pages || phase_ == phase::tags) {
    const auto at = pages_.next();
    if (!at) headers_cut_short();
    handle(*at);
  }
}

bool ogg_demuxer::fill() {
  while (queue_.empty()) {
    const auto at = pages_.next();
    if (!at) {
      check_end();
      return false;
    }
    handle(*at);
  }
  return true;
}

void ogg_demuxer::handle(const ogg_page_at& at) {
  bytes_without_packet_ += at.size;
  if (bytes_without_packet_ > ogg_limits::max_bytes_without_packet)
    pages_.fail(media_errc::limit_exceeded,
                fmt::format("{} bytes of pages without an Opus packet", bytes_without_packet_));
  const ogg_page& page = at.page;
  const bool bos = ogg_page_bos(&page) != 0;
  switch (phase_) {
    case phase::bos_pages:
      if (bos) return on_bos_page(page);
      if (!serial_) reject_link_without_opus();
      phase_ = phase::tags;
      [[fallthrough]];
    case phase::tags:
      if (bos) pages_.fail(media_errc::malformed, "a stream begins among the Opus headers");
      if (page_serial(page) == *serial_) on_tags_page(at);
      return;
    case phase::audio:
    case phase::link_ended:
      if (bos) {
        begin_link();
        return on_bos_page(page);
      }
      if (phase_ == phase::audio && page_serial(page) == *serial_) on_audio_page(page);
      return;
  }
}

void ogg_demuxer::begin_link() {
  // Bisection assumes one link; a chain the tail did not reveal falls back to reading again.
  if (links_ > 0 && seek_mode_ == seek_mode::bisection) seek_mode_ = seek_mode::rewind;
  phase_ = phase::bos_pages;
  serial_.reset();
  link_serials_.clear();
  other_codec_.reset();
  tags_ = opus_tags_scan{};
  link_index_ = links_++;
  link_base_ = next_ts_;
  anchor_ = anchor::link_start;
  open_packet_bytes_ = 0;
}

void ogg_demuxer::on_bos_page(const ogg_page& page) {
  if (link_serials_.size() >= ogg_limits::max_streams_per_link)
    pages_.fail(media_errc::limit_exceeded,
                fmt::format("more than {} streams begin in one link", ogg_limits::max_streams_per_link));
  link_serials_.push_back(page_serial(page));
  const auto body = std::span<const std::uint8_t>(page.body, static_cast<std::size_t>(page.body_len));
  const ogg_codec codec = identify_ogg_codec(body);
  if (codec.name != "Opus") {
    if (codec.media && !other_codec_) other_codec_ = codec;
    return;
  }
  if (serial_) return;  // the first Opus stream is the one followed
  if (ogg_page_continued(&page) || !ends_with_single_packet(page))
    pages_.fail(media_errc::malformed, "OpusHead does not have its page to itself (RFC 7845 section 3)");
  auto info = std::make_shared<opus_stream_info>();
  info->head = parse_opus_head(body, pages_.source_name());
  info->codec_delay = info->head.pre_skip;
  info->seekable = seek_mode_ != seek_mode::forward_only;
  if (link_index_ == 0) info->duration = duration_;
  max_packet_bytes_ = ogg_limits::max_packet_bytes_per_stream * info->head.stream_count;
  link_info_ = std::move(info);
  serial_ = page_serial(page);
  // OpusHead and OpusTags bypass libogg; reset, it takes the first audio page as a fresh start.
  ogg_stream_reset_serialno(stream_.get(), static_cast<int>(*serial_));
}

void ogg_demuxer::on_tags_page(const ogg_page_at& at) {
  if (!tags_.add(at.page, pages_)) return;
  phase_ = ogg_page_eos(&at.page) ? phase::link_ended : phase::audio;
  if (link_index_ == 0) data_start_ = at.offset + at.size;
}

void ogg_demuxer::on_audio_page(const ogg_page& page) {
  if (ogg_page_version(&page) != 0)
    pages_.fail(media_errc::malformed, fmt::format("Ogg page version {}", ogg_page_version(&page)));
  open_packet_bytes_ = (ogg_page_packets(&page) > 0 ? 0 : open_packet_bytes_) + open_packet_bytes(page);
  if (open_packet_bytes_ > max_packet_bytes_)
    pages_.fail(media_errc::limit_exceeded, fmt::format("a packet continues past {} bytes", max_packet_bytes_));
  ogg_page copy = page;  // libogg's API takes a mutable page it does not modify
  ogg_stream_pagein(stream_.get(), &copy);

  page_packets_.clear();
  std::int64_t samples = 0;
  ogg_packet op{};
  while (const int got = ogg_stream_packetout(stream_.get(), &op)) {
    if (got < 0) {  // a lost page: its packets are gone, and with them the running count
      if (anchor_ == anchor::running) anchor_ = anchor::granule;
      continue;
    }
    const auto bytes = std::span<const std::uint8_t>(op.packet, static_cast<std::size_t>(op.bytes));
    if (bytes.size() > max_packet_bytes_)
      pages_.fail(media_errc::limit_exceeded, fmt::format("a packet of {} bytes (limit {})", bytes.size(), max_packet_bytes_));
    const auto n = opus_packet_samples(bytes);
    if (!n) pages_.fail(media_errc::malformed, fmt::format("a {}-byte packet with no valid Opus duration", bytes.size()));
    page_packets_.push_back({bytes, *n});
    samples += *n;
  }
  if (!page_packets_.empty()) {
    std::int64_t timestamp = first_timestamp(page, samples);
    for (const page_packet& p : page_packets_) {
      demuxed_packet& queued = queue_.push(p.bytes);
      queued.timestamp = timestamp;
      queued.stream_index = link_index_;
      if (queued.info != link_info_) queued.info = link_info_;
      timestamp += p.samples;
    }
    next_ts_ = timestamp;
    anchor_ = anchor::running;
    bytes_without_packet_ = 0;
  }
  if (ogg_page_eos(&page)) phase_ = phase::link_ended;
}

std::int64_t ogg_demuxer::first_timestamp(const ogg_page& page, std::int64_t samples) {
  if (anchor_ == anchor::running) return next_ts_;
  const std::int64_t granule = ogg_page_granulepos(&page);
  if (granule < 0 || granule > ogg_limits::max_granule)
    pages_.fail(media_errc::malformed, fmt::format("packets end on a page with granule position {}", granule));
  if (anchor_ == anchor::granule) return std::max(next_ts_, link_base_ + (granule - start_granule_) - samples);
  // RFC 7845 section 4.5.
  const bool eos = ogg_page_eos(&page) != 0;
  if (eos && granule < link_info_->head.pre_skip)
    pages_.fail(media_errc::malformed,
                fmt::format("the only audio page's granule position {} is below the pre-skip {}", granule,
                            link_info_->head.pre_skip));
  if (!eos && granule < samples)
    pages_.fail(media_errc::malformed,
                fmt::format("the first audio page's granule position {} is less than its {} samples (a negative start)",
                            granule, samples));
  start_granule_ = std::max<std::int64_t>(granule - samples, 0);
  return link_base_;
}

void ogg_demuxer::reject_link_without_opus() const {
  if (other_codec_)
    pages_.fail(media_errc::unsupported_codec, fmt::format("the Ogg stream carries {}, not Opus", other_codec_->name));
  if (link_serials_.empty())
    pages_.fail(media_errc::malformed, "the first page begins no stream: no OpusHead (joined mid-stream?)");
  pages_.fail(media_errc::malformed, "the link has only metadata streams, no Opus");
}

void ogg_demuxer::headers_cut_short() const {
  if (phase_ == phase::bos_pages && !serial_ && !link_serials_.empty()) reject_link_without_opus();
  pages_.fail(media_errc::truncated,
              pages_.position() == 0 ? "empty input" : "the input ends before the Opus headers are complete");
}

void ogg_demuxer::check_end() const {
  if (phase_ == phase::link_ended) return;
  if (phase_ != phase::audio) headers_cut_short();
  if (pages_.ended_inside_page()) pages_.fail(media_errc::truncated, "the input ends inside an Ogg page");
  if (open_packet_bytes_ > 0) pages_.fail(media_errc::truncated, "the input ends inside a packet");
}

std::optional<opus_packet> ogg_demuxer::next() {
  if (!fill()) return std::nullopt;
  const demuxed_packet& p = queue_.pop();
  ++popped_;
  if (info_ != p.info) info_ = p.info;  // the same link's packets share it: no reference count traffic
  return opus_packet{p.bytes, p.timestamp, p.stream_index};
}

std::int64_t ogg_demuxer::seek(std::int64_t target) {
  if (seek_mode_ == seek_mode::bisection) {
    restart_near(target);
  } else if (popped_ > 0 && target < (fill() ? queue_.front().timestamp : next_ts_)) {
    if (seek_mode_ == seek_mode::forward_only)
      pages_.fail(media_errc::not_seekable,
                  fmt::format("cannot seek back to sample {}: the source cannot seek", target));
    rewind();
  }
  const std::int64_t reached = forward_to(target);
  if (!queue_.empty()) info_ = queue_.front().info;
  return reached;
}

void ogg_demuxer::restart_near(std::int64_t target) {
  // Every page's granule position is at most max_granule, so a larger target means the end.
  const std::int64_t granule =
      target >= ogg_limits::max_granule - start_granule_ ? ogg_limits::max_granule + 1 : target + start_granule_;
  const auto page = find_page_before(pages_, *serial_, granule, data_start_, *pages_.size());
  queue_.clear();
  ogg_stream_reset(stream_.get());
  phase_ = phase::audio;
  anchor_ = page ? anchor::granule : anchor::link_start;
  next_ts_ = link_base_;
  open_packet_bytes_ = 0;
  bytes_without_packet_ = 0;
  pages_.seek(page.value_or(data_start_));
}

void ogg_demuxer::rewind() {
  pages_.seek(0);
  queue_.clear();
  links_ = 0;
  next_ts_ = 0;
  popped_ = 0;
  bytes_without_packet_ = 0;
  read_headers();
}

std::int64_t ogg_demuxer::forward_to(std::int64_t target) {
  bool popped = false;
  while (fill() && queue_.front().timestamp <= target) {
    queue_.pop();
    ++popped_;
    popped = true;
  }
  if (popped) {  // one too far: the last packet starting at or before the target goes back
    queue_.unpop();
    --popped_;
  }
  return queue_.empty() ? next_ts_ : queue_.front().timestamp;
}

}  // namespace

std::unique_ptr<opus_demuxer> open_ogg(std::unique_ptr<byte_reader> reader) {
  return std::make_unique<ogg_demuxer>(std::move(reader));
}

}  // namespace spence::engine
