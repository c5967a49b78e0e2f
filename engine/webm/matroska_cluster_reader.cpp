#include "engine/webm/matroska_cluster_reader.hpp"

#include "engine/webm/matroska_block.hpp"
#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/webm_limits.hpp"

#include <fmt/format.h>

namespace spence::engine {
matroska_cluster_reader::matroska_cluster_reader(ebml_reader& reader, matroska_segment segment, std::uint64_t track,
                                                 std::optional<ebml_element> first_cluster)
    : reader_(reader), segment_(segment), track_(track), pending_(first_cluster) {}

std::optional<matroska_cluster_reader::block> matroska_cluster_reader::next_block() {
  for (;;) {
    if (!cluster_) {
      const auto element = next_segment_child();
      if (!element) return std::nullopt;
      if (element->id == matroska_id::cluster) enter_cluster(*element);
      else reader_.skip_body(*element);
      continue;
    }
    const auto child = next_cluster_child();
    if (!child) {
      cluster_.reset();
      continue;
    }
    if (auto found = read_cluster_child(*child)) return found;
  }
}

std::optional<matroska_cluster_reader::cluster> matroska_cluster_reader::next_cluster() {
  if (cluster_) {
    if (cluster_->end) reader_.skip_to(*cluster_->end);
    else
      while (const auto child = next_cluster_child()) reader_.skip_body(*child);
    cluster_.reset();
  }
  for (;;) {
    const auto element = next_segment_child();
    if (!element) return std::nullopt;
    if (element->id != matroska_id::cluster) {
      reader_.skip_body(*element);
      continue;
    }
    enter_cluster(*element);
    while (!cluster_->timestamp) {
      const auto child = next_cluster_child();
      // A Cluster without a Timestamp holds no block (one would be malformed): move on.
      if (!child) break;
      // Other tracks' blocks are skipped; one of the track before the Timestamp throws.
      read_cluster_child(*child);
    }
    if (cluster_->timestamp) {
      // A seek scan moves from Cluster to Cluster; each one is progress.
      reader_.reset_budget();
      return cluster{element->start, *cluster_->timestamp};
    }
    cluster_.reset();
  }
}

void matroska_cluster_reader::restart_at(std::uint64_t position) {
  reader_.seek(position);
  pending_.reset();
  cluster_.reset();
  const auto element = read_segment_child(reader_, segment_);
  if (!element || element->id != matroska_id::cluster)
    reader_.fail(media_errc::malformed, fmt::format("no Cluster at byte {}, where the index points", position));
  enter_cluster(*element);
}

std::optional<ebml_element> matroska_cluster_reader::next_segment_child() {
  if (pending_) {
    const ebml_element element = *pending_;
    pending_.reset();
    return as_segment_child(segment_, element);
  }
  return read_segment_child(reader_, segment_);
}

std::optional<ebml_element> matroska_cluster_reader::next_cluster_child() {
  const auto end = cluster_->end ? cluster_->end : segment_.end;
  if (end && reader_.position() >= *end) return std::nullopt;
  const auto element = reader_.read_element(end);
  if (!element) {
    if (end) reader_.fail(media_errc::truncated, fmt::format("the input ends before the Cluster, which ends at byte {}", *end));
    return std::nullopt;
  }
  if (!cluster_->end && is_matroska_segment_level(element->id)) {
    pending_ = element;
    return std::nullopt;
  }
  return element;
}

void matroska_cluster_reader::enter_cluster(const ebml_element& element) { cluster_ = open_cluster{element.end(), std::nullopt}; }

std::optional<matroska_cluster_reader::block> matroska_cluster_reader::read_cluster_child(const ebml_element& element) {
  switch (element.id) {
    case matroska_id::cluster_timestamp: cluster_->timestamp = reader_.read_uint(element); return std::nullopt;
    case matroska_id::simple_block: return read_block(element);
    case matroska_id::block_group: return read_block_group(element);
    default: reader_.skip_body(element); return std::nullopt;
  }
}

std::optional<matroska_cluster_reader::block> matroska_cluster_reader::read_block_group(const ebml_element& group) {
  const std::uint64_t end = group.body_start + reader_.known_size(group);
  std::optional<block> found;
  std::int64_t discard_padding_ns = 0;
  while (reader_.position() < end) {
    const auto child = reader_.read_element(end);
    if (!child) reader_.fail(media_errc::truncated, "the input ends inside a BlockGroup");
    if (child->id == matroska_id::block && !found) {
      found = read_block(*child);
    } else if (child->id == matroska_id::discard_padding) {
      // A signed integer: sign-extend from the element's width.
      const std::uint64_t width = reader_.known_size(*child);
      const std::uint64_t raw = reader_.read_uint(*child);
      discard_padding_ns = width > 0 && width < 8 && (raw >> (8 * width - 1)) != 0
                               ? static_cast<std::int64_t>(raw - (std::uint64_t{1} << (8 * width)))
                               : static_cast<std::int64_t>(raw);
    } else {
      reader_.skip_body(*child);
    }
  }
  if (found) found->discard_padding_ns = discard_padding_ns;
  return found;
}

std::optional<matroska_cluster_reader::block> matroska_cluster_reader::read_block(const ebml_element& element) {
  const std::uint64_t size = reader_.known_size(element);
  const auto wanted = static_cast<std::size_t>(std::min<std::uint64_t>(size, 8));
  const auto head = reader_.bytes().peek(wanted);
  if (head.size() < wanted) reader_.fail(media_errc::truncated, "the input ends inside a block");
  const auto track = matroska_block_track(head);
  if (!track) reader_.fail(media_errc::malformed, "block without a valid track number");
  if (*track != track_) {
    reader_.skip_body(element);
    return std::nullopt;
  }
  if (!cluster_->timestamp) reader_.fail(media_errc::malformed, "block before its Cluster's Timestamp");
  reader_.read_body(element, webm_limits::max_block, "block", payload_);
  reader_.reset_budget();
  return block{payload_, element.body_start, *cluster_->timestamp};
}

}  // namespace spence::engine
