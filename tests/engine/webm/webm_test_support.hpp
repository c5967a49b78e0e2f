#pragma once
// Helpers shared by the WebM demuxer tests: a source that never ends, reading a
// demuxer to its end, rewriting real files into live-stream layouts, and minimal WebM files built
// around real Opus packets.

#include "engine/byte_source.hpp"
#include "engine/media_error.hpp"
#include "engine/opus_demuxer.hpp"
#include "tests/engine/webm/ebml_builder.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace spence::test {

// A prefix, then whatever `tail` writes, forever; counts what it served into a counter that
// outlives it (the demuxer owns and destroys the source).
class endless_source final : public engine::byte_source {
 public:
  using filler = std::function<void(std::span<std::uint8_t>)>;
  endless_source(std::vector<std::uint8_t> prefix, filler tail,
                 std::shared_ptr<std::uint64_t> served = std::make_shared<std::uint64_t>(0));
  std::size_t read(std::span<std::uint8_t> out) override;
  bool seekable() const override { return false; }
  void seek(std::uint64_t offset) override;
  std::optional<std::uint64_t> size() const override { return std::nullopt; }
  std::size_t available() const override { return 0; }
  const std::string& name() const override { return name_; }

 private:
  std::vector<std::uint8_t> prefix_;
  filler tail_;
  std::shared_ptr<std::uint64_t> served_;
  std::string name_ = "endless";
};

// A tail of one pattern repeated forever.
endless_source::filler repeating(std::vector<std::uint8_t> pattern);
// A tail of pseudo-random bytes (a fixed seed: the same junk every run).
endless_source::filler random_bytes(std::uint32_t seed);

std::unique_ptr<engine::opus_demuxer> open_webm_bytes(std::vector<std::uint8_t> bytes, bool seekable = true);
std::unique_ptr<engine::opus_demuxer> open_webm_source(std::unique_ptr<engine::byte_source> source);

struct demuxed_packet {
  std::vector<std::uint8_t> data;
  std::int64_t timestamp = 0;
};
std::vector<demuxed_packet> read_all(engine::opus_demuxer& demuxer);

// Opens bytes, reads every packet and seeks back to the start: nullopt when that ends cleanly,
// else the media_error's code. Anything but media_error propagates (and fails the test).
std::optional<engine::media_errc> demux_outcome(std::vector<std::uint8_t> bytes, bool seekable = true);

// The samples an Opus packet holds at 48 kHz (libopus).
std::int64_t opus_samples(std::span<const std::uint8_t> packet);

// The same file with the Segment and every Cluster of unknown size, as a live encoder writes them.
std::vector<std::uint8_t> with_unknown_sizes(const std::vector<std::uint8_t>& file);

// The lacing bits of the first block in the file: 0 none, 1 Xiph, 2 fixed-size, 3 EBML.
int first_block_lacing(const std::vector<std::uint8_t>& file);

// Minimal WebM around real packets.
namespace webm {

ebml::bytes ebml_header(std::string_view doc_type = "webm");
ebml::bytes opus_head(std::uint8_t channels = 2, std::uint16_t pre_skip = 312);
// A TrackEntry; codec_delay in nanoseconds when given; extra children appended.
ebml::bytes track(std::uint64_t number, std::string_view codec_id, std::span<const std::uint8_t> codec_private,
                  std::optional<std::uint64_t> codec_delay_ns = std::nullopt, std::span<const std::uint8_t> extra = {});
ebml::bytes opus_tracks(std::uint64_t number = 1);
ebml::bytes info(std::uint64_t timestamp_scale = 1'000'000);
ebml::bytes simple_block(std::uint64_t track, std::int16_t relative, std::span<const std::uint8_t> frame);
ebml::bytes cluster(std::uint64_t timestamp, std::span<const std::uint8_t> blocks);
// EBML header + Segment of known size holding children.
ebml::bytes file(std::span<const std::uint8_t> segment_children, std::string_view doc_type = "webm");
// The first real Opus packets of a 20 ms stereo stream (from the fixtures), for building files.
const std::vector<std::vector<std::uint8_t>>& real_packets();

}  // namespace webm

}  // namespace spence::test
