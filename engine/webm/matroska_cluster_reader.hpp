#pragma once
// Walks the Segment's Clusters for the blocks of one track: SimpleBlocks and the Blocks inside
// BlockGroups, in file order. Clusters of unknown size (live streams) end where an element that
// cannot be their child begins. Other tracks' blocks are skipped without being read.

#include "engine/webm/ebml_reader.hpp"
#include "engine/webm/matroska_segment.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace spence::engine {

class matroska_cluster_reader {
 public:
  // first_cluster: the header of the first Cluster, already consumed (see matroska_segment_head).
  matroska_cluster_reader(ebml_reader& reader, matroska_segment segment, std::uint64_t track,
                          std::optional<ebml_element> first_cluster);

  struct block {
    std::span<const std::uint8_t> payload;  // valid until the next call
    std::uint64_t offset = 0;               // stream offset of the payload
    std::uint64_t cluster_timestamp = 0;    // ticks
    std::int64_t discard_padding_ns = 0;    // a BlockGroup's DiscardPadding: padding at the block's end
  };
  // The next block of the track, or nullopt at the end of the Segment.
  std::optional<block> next_block();

  struct cluster {
    std::uint64_t position = 0;   // stream offset of the Cluster's header
    std::uint64_t timestamp = 0;  // ticks
  };
  // Leaves the current Cluster and reads the next one's header and Timestamp; nullopt at the end.
  std::optional<cluster> next_cluster();

  // Continues from the Cluster whose header starts at position (a seekable source only); throws
  // media_error(malformed) when no Cluster starts there.
  void restart_at(std::uint64_t position);

 private:
  struct open_cluster {
    std::optional<std::uint64_t> end;
    std::optional<std::uint64_t> timestamp;
  };

  std::optional<ebml_element> next_segment_child();
  // The next child of the open Cluster, or nullopt where it ends.
  std::optional<ebml_element> next_cluster_child();
  void enter_cluster(const ebml_element& element);
  // Handles one child of the open Cluster; a block of the track when it was one.
  std::optional<block> read_cluster_child(const ebml_element& element);
  std::optional<block> read_block_group(const ebml_element& group);
  std::optional<block> read_block(const ebml_element& element);

  ebml_reader& reader_;
  matroska_segment segment_;
  std::uint64_t track_;
  std::optional<ebml_element> pending_;  // read at the Segment's level but not handled yet
  std::optional<open_cluster> cluster_;
  std::vector<std::uint8_t> payload_;
};

}  // namespace spence::engine
