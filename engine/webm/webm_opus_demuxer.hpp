#pragma once
// The opus_demuxer over a Matroska Segment: turns the Opus track's blocks into packets with their
// timestamps, and seeks through the Cues, the Cluster timestamps or a forward scan. A seek refused
// with not_seekable leaves the position as it was; after any other media_error the stream is
// broken and the demuxer is not used further.

#include "engine/opus_demuxer.hpp"
#include "engine/webm/ebml_reader.hpp"
#include "engine/webm/matroska_cluster_reader.hpp"
#include "engine/webm/matroska_cues.hpp"
#include "engine/webm/matroska_segment_head.hpp"

#include <memory>
#include <vector>

namespace spence::engine {

class webm_opus_demuxer final : public opus_demuxer {
 public:
  explicit webm_opus_demuxer(std::unique_ptr<byte_reader> reader);

  const opus_stream_info& info() const override { return info_; }
  std::optional<opus_packet> next() override;
  std::int64_t seek(std::int64_t timestamp) override;

 private:
  struct frame {
    std::span<const std::uint8_t> data;
    std::int64_t timestamp = 0;
    std::uint32_t trim_end = 0;
  };
  // A packet a seek stepped over that must still come first: the last one at or before the target.
  struct held_packet {
    std::vector<std::uint8_t> data;
    std::int64_t timestamp;
    std::uint32_t trim_end;
  };

  // The frame next() returns after any held packet, reading blocks as needed; null at the end.
  const frame* upcoming();
  bool load_block();
  std::int64_t scan_forward(std::int64_t target, std::uint64_t scan_start);
  std::int64_t scan_from_cluster(std::uint64_t position, std::int64_t target, std::uint64_t scan_start);
  std::int64_t seek_by_cluster_timestamps(std::int64_t target, std::uint64_t scan_start);
  // The Cluster position of the last cue at or before target, the first Cluster when the target
  // precedes every cue; nullopt without usable Cues.
  std::optional<std::uint64_t> cue_position_for(std::int64_t target);
  const std::vector<matroska_cue>& cues();
  void check_scan(std::uint64_t scan_start) const;
  void forget_queue();

  ebml_reader reader_;
  matroska_segment_head head_;
  matroska_cluster_reader clusters_;
  opus_stream_info info_;
  std::uint64_t first_cluster_position_ = 0;
  std::vector<frame> frames_;  // the current block's frames, views into the cluster reader's block
  std::size_t next_frame_ = 0;
  std::optional<held_packet> held_;
  std::vector<std::uint8_t> delivered_;  // a held packet's bytes while the caller reads them
  std::optional<std::vector<matroska_cue>> cues_;  // read on the first seek that needs them
  bool at_stream_start_ = true;  // nothing delivered, skipped or repositioned yet
};

}  // namespace spence::engine
