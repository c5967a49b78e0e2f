#include "engine/webm/webm_opus_demuxer.hpp"

#include "engine/opus_packet_samples.hpp"
#include "engine/webm/ebml_children.hpp"
#include "engine/webm/ebml_error.hpp"
#include "engine/webm/matroska_block.hpp"
#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/matroska_time.hpp"
#include "engine/webm/webm_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>

namespace spence::engine {

webm_opus_demuxer::webm_opus_demuxer(std::unique_ptr<byte_reader> reader)
    : reader_(std::move(reader)),
      head_(read_matroska_segment_head(reader_)),
      clusters_(reader_, head_.segment, head_.track.number, head_.first_cluster) {
  info_.head = head_.track.head;
  info_.codec_delay = head_.track.codec_delay.value_or(head_.track.head.pre_skip);
  info_.duration = head_.duration;
  info_.seekable = reader_.seekable();
  if (head_.first_cluster) first_cluster_position_ = head_.first_cluster->start;
  reader_.reset_budget();
}

std::optional<opus_packet> webm_opus_demuxer::next() {
  if (held_) {
    delivered_ = std::move(held_->data);
    const std::int64_t timestamp = held_->timestamp;
    const std::uint32_t trim_end = held_->trim_end;
    held_.reset();
    at_stream_start_ = false;
    return opus_packet{delivered_, timestamp, 0, trim_end};
  }
  const frame* f = upcoming();
  if (f == nullptr) return std::nullopt;
  ++next_frame_;
  at_stream_start_ = false;
  return opus_packet{f->data, f->timestamp, 0, f->trim_end};
}

const webm_opus_demuxer::frame* webm_opus_demuxer::upcoming() {
  while (next_frame_ == frames_.size())
    if (!load_block()) return nullptr;
  return &frames_[next_frame_];
}

// Timestamps stay on Matroska's block clock. Muxers write the first block at 0 although it starts
// with CodecDelay of priming samples (RFC 9559: CodecDelay is subtracted from every Block
// timestamp to get the presentation time; the Opus mapping sets it to OpusHead's pre-skip). That
// clock is the one Ogg's granule positions count on, so opus_packet::timestamp is the block time
// as written, and playback time = timestamp - codec_delay. Frames of a lace carry no timestamp of
// their own: each starts where the previous one's samples end.
bool webm_opus_demuxer::load_block() {
  const auto block = clusters_.next_block();
  if (!block) return false;
  const std::string& source = reader_.source_name();
  const matroska_block parsed = parse_matroska_block(block->payload, block->offset, source);
  std::optional<std::int64_t> timestamp;
  // Half of int64 leaves room for the signed 16-bit relative timestamp.
  if (block->cluster_timestamp <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max() / 2))
    timestamp = matroska_ticks_to_samples(static_cast<std::int64_t>(block->cluster_timestamp) + parsed.relative_timestamp,
                                          head_.timestamp_scale);
  if (!timestamp) throw_ebml_error(media_errc::malformed, source, block->offset, "block timestamp out of range");
  frames_.clear();
  next_frame_ = 0;
  std::int32_t last_samples = 0;
  for (const auto data : parsed.frames) {
    const auto samples = opus_packet_samples(data);
    if (!samples)
      throw_ebml_error(media_errc::malformed, source, block->offset + static_cast<std::uint64_t>(data.data() - block->payload.data()),
                       "frame is not a valid Opus packet");
    frames_.push_back({data, *timestamp, 0});
    *timestamp += *samples;
    last_samples = *samples;
  }
  // DiscardPadding counts from the end of the block, so it trims its last frame (never more than
  // that frame holds; a negative value would trim the start, which no Opus muxer writes).
  if (block->discard_padding_ns > 0 && !frames_.empty()) {
    const std::int64_t padding = matroska_ticks_to_samples(block->discard_padding_ns, 1).value_or(0);
    frames_.back().trim_end = static_cast<std::uint32_t>(std::clamp<std::int64_t>(padding, 0, last_samples));
  }
  return true;
}

std::int64_t webm_opus_demuxer::seek(std::int64_t timestamp) {
  const std::uint64_t scan_start = reader_.elements_read();
  const frame* f = upcoming();
  const std::optional<std::int64_t> next_timestamp =
      held_ ? std::optional(held_->timestamp) : f ? std::optional(f->timestamp) : std::nullopt;
  const bool ahead = next_timestamp && timestamp >= *next_timestamp;
  // Before anything was read, a target before the first packet leaves the first packet first.
  if (!ahead && at_stream_start_) return next_timestamp.value_or(timestamp);
  if (!head_.first_cluster) return timestamp;  // no Cluster, no packet to land on
  if (!reader_.seekable()) {
    if (!ahead)
      reader_.fail(media_errc::not_seekable, fmt::format("cannot seek back to sample {} on a source that cannot seek", timestamp));
    return scan_forward(timestamp, scan_start);
  }
  const auto cue = cue_position_for(timestamp);
  if (ahead && (!cue || *cue <= reader_.position())) return scan_forward(timestamp, scan_start);
  if (cue) {
    const std::int64_t reached = scan_from_cluster(*cue, timestamp, scan_start);
    // Nothing at or before the target after the cue: the index lied; the Cluster timestamps decide.
    if (held_ || *cue == first_cluster_position_) return reached;
  }
  return seek_by_cluster_timestamps(timestamp, scan_start);
}

std::int64_t webm_opus_demuxer::scan_forward(std::int64_t target, std::uint64_t scan_start) {
  while (const frame* f = upcoming()) {
    if (f->timestamp > target) return held_ ? held_->timestamp : f->timestamp;
    if (!held_) held_.emplace(held_packet{{}, 0, 0});
    held_->data.assign(f->data.begin(), f->data.end());
    held_->timestamp = f->timestamp;
    held_->trim_end = f->trim_end;
    ++next_frame_;
    at_stream_start_ = false;
    check_scan(scan_start);
  }
  return held_ ? held_->timestamp : target;
}

std::int64_t webm_opus_demuxer::scan_from_cluster(std::uint64_t position, std::int64_t target, std::uint64_t scan_start) {
  forget_queue();
  clusters_.restart_at(position);
  return scan_forward(target, scan_start);
}

std::int64_t webm_opus_demuxer::seek_by_cluster_timestamps(std::int64_t target, std::uint64_t scan_start) {
  forget_queue();
  clusters_.restart_at(first_cluster_position_);
  std::uint64_t best = first_cluster_position_;
  while (const auto cluster = clusters_.next_cluster()) {
    const auto start = matroska_ticks_to_samples(cluster->timestamp, head_.timestamp_scale);
    if (!start) throw_ebml_error(media_errc::malformed, reader_.source_name(), cluster->position, "Cluster Timestamp out of range");
    if (*start > target) break;
    best = cluster->position;
    check_scan(scan_start);
  }
  return scan_from_cluster(best, target, scan_start);
}

std::optional<std::uint64_t> webm_opus_demuxer::cue_position_for(std::int64_t target) {
  if (!head_.cues_position) return std::nullopt;
  const auto& index = cues();
  if (index.empty()) return std::nullopt;
  const auto after = std::upper_bound(index.begin(), index.end(), target,
                                      [](std::int64_t t, const matroska_cue& cue) { return t < cue.time; });
  if (after == index.begin()) return first_cluster_position_;
  return head_.segment.data_start + std::prev(after)->cluster_position;
}

const std::vector<matroska_cue>& webm_opus_demuxer::cues() {
  if (cues_) return *cues_;
  const std::uint64_t resume = reader_.position();
  reader_.seek(*head_.cues_position);
  const auto element = reader_.read_element(head_.segment.end);
  if (!element) reader_.fail(media_errc::truncated, "the input ends before the Cues");
  if (element->id != matroska_id::cues) reader_.fail(media_errc::malformed, "no Cues where the SeekHead points");
  std::vector<std::uint8_t> body;
  reader_.read_body(*element, webm_limits::max_cues_element, "Cues", body);
  auto index = parse_matroska_cues(ebml_children(body, element->body_start, reader_.source_name()), head_.track.number,
                                   head_.timestamp_scale);
  // Positions count from the Segment's payload; one past the Segment (or past 2^62) is corrupt.
  const std::uint64_t limit = head_.segment.end.value_or(std::uint64_t{1} << 62) - head_.segment.data_start;
  for (const matroska_cue& cue : index)
    if (cue.cluster_position >= limit)
      throw_ebml_error(media_errc::malformed, reader_.source_name(), element->start,
                       fmt::format("a cue points at Cluster position {}, past the Segment", cue.cluster_position));
  reader_.seek(resume);
  cues_ = std::move(index);
  return *cues_;
}

void webm_opus_demuxer::check_scan(std::uint64_t scan_start) const {
  if (reader_.elements_read() - scan_start > webm_limits::max_seek_scan_elements)
    reader_.fail(media_errc::limit_exceeded,
                 fmt::format("seek scanned more than {} elements", webm_limits::max_seek_scan_elements));
}

void webm_opus_demuxer::forget_queue() {
  frames_.clear();
  next_frame_ = 0;
  held_.reset();
  at_stream_start_ = false;
}

}  // namespace spence::engine
