#include "tests/engine/webm/webm_test_support.hpp"

#include "engine/byte_reader.hpp"
#include "engine/memory_source.hpp"
#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/webm_demuxer.hpp"
#include "tests/engine/media_fixtures.hpp"
#include "tests/engine/stream_source.hpp"
#include "tests/engine/webm/ogg_opus_reference.hpp"

#include <opus/opus.h>

#include <algorithm>
#include <random>
#include <stdexcept>

namespace spence::test {

namespace id = engine::matroska_id;

endless_source::endless_source(std::vector<std::uint8_t> prefix, filler tail, std::shared_ptr<std::uint64_t> served)
    : prefix_(std::move(prefix)), tail_(std::move(tail)), served_(std::move(served)) {}

std::size_t endless_source::read(std::span<std::uint8_t> out) {
  std::uint64_t& served = *served_;
  if (served < prefix_.size()) {
    const std::size_t n = std::min(out.size(), prefix_.size() - static_cast<std::size_t>(served));
    std::copy_n(prefix_.begin() + static_cast<std::ptrdiff_t>(served), n, out.begin());
    served += n;
    return n;
  }
  tail_(out);
  served += out.size();
  return out.size();
}

void endless_source::seek(std::uint64_t) { throw engine::media_error(engine::media_errc::not_seekable, name_, "endless"); }

endless_source::filler repeating(std::vector<std::uint8_t> pattern) {
  return [pattern = std::move(pattern), at = std::size_t{0}](std::span<std::uint8_t> out) mutable {
    for (std::size_t done = 0; done < out.size();) {
      const std::size_t n = std::min(out.size() - done, pattern.size() - at);
      std::copy_n(pattern.begin() + static_cast<std::ptrdiff_t>(at), n, out.begin() + static_cast<std::ptrdiff_t>(done));
      done += n;
      at = (at + n) % pattern.size();
    }
  };
}

endless_source::filler random_bytes(std::uint32_t seed) {
  return [engine = std::mt19937(seed)](std::span<std::uint8_t> out) mutable {
    for (auto& b : out) b = static_cast<std::uint8_t>(engine());
  };
}

std::unique_ptr<engine::opus_demuxer> open_webm_source(std::unique_ptr<engine::byte_source> source) {
  return engine::open_webm(std::make_unique<engine::byte_reader>(std::move(source)));
}

std::unique_ptr<engine::opus_demuxer> open_webm_bytes(std::vector<std::uint8_t> bytes, bool seekable) {
  if (seekable) return open_webm_source(std::make_unique<engine::memory_source>(std::move(bytes), "memory"));
  return open_webm_source(std::make_unique<stream_source>(std::move(bytes), 1500));
}

std::vector<demuxed_packet> read_all(engine::opus_demuxer& demuxer) {
  std::vector<demuxed_packet> packets;
  while (const auto packet = demuxer.next()) packets.push_back({{packet->data.begin(), packet->data.end()}, packet->timestamp});
  return packets;
}

std::optional<engine::media_errc> demux_outcome(std::vector<std::uint8_t> bytes, bool seekable) {
  try {
    const auto demuxer = open_webm_bytes(std::move(bytes), seekable);
    read_all(*demuxer);
    demuxer->seek(0);
    read_all(*demuxer);
    return std::nullopt;
  } catch (const engine::media_error& e) {
    return e.code();
  }
}

std::int64_t opus_samples(std::span<const std::uint8_t> packet) {
  return opus_packet_get_nb_samples(packet.data(), static_cast<opus_int32>(packet.size()), 48000);
}

namespace {

// Just enough EBML reading to restructure fixtures; the files are known to be well formed.
struct raw_header {
  std::uint32_t id = 0;
  std::size_t header_length = 0;
  std::optional<std::uint64_t> size;
};

raw_header read_header(const std::vector<std::uint8_t>& file, std::size_t at) {
  const auto length = [](std::uint8_t first) { return static_cast<std::size_t>(std::countl_zero(first)) + 1; };
  raw_header h;
  const std::size_t id_length = length(file.at(at));
  for (std::size_t i = 0; i < id_length; ++i) h.id = h.id << 8 | file.at(at + i);
  const std::size_t size_length = length(file.at(at + id_length));
  std::uint64_t size = file.at(at + id_length) & ((0xFF >> size_length));
  for (std::size_t i = 1; i < size_length; ++i) size = size << 8 | file.at(at + id_length + i);
  h.header_length = id_length + size_length;
  if (size != (std::uint64_t{1} << (7 * size_length)) - 1) h.size = size;
  return h;
}

// Offset of the Segment's payload; the EBML header is the first element.
std::size_t segment_payload(const std::vector<std::uint8_t>& file, raw_header& segment) {
  const raw_header ebml = read_header(file, 0);
  const std::size_t at = ebml.header_length + static_cast<std::size_t>(*ebml.size);
  segment = read_header(file, at);
  return at + segment.header_length;
}

}  // namespace

std::vector<std::uint8_t> with_unknown_sizes(const std::vector<std::uint8_t>& file) {
  raw_header segment;
  std::size_t at = segment_payload(file, segment);
  const std::size_t segment_start = at - segment.header_length;
  std::vector<std::uint8_t> out(file.begin(), file.begin() + static_cast<std::ptrdiff_t>(segment_start));
  const auto append = [&](std::span<const std::uint8_t> part) { out.insert(out.end(), part.begin(), part.end()); };
  append(ebml::unknown_size_header(id::segment));
  while (at < file.size()) {
    const raw_header child = read_header(file, at);
    const std::size_t body = at + child.header_length;
    const std::size_t end = body + static_cast<std::size_t>(child.size.value());
    if (child.id == id::cluster) append(ebml::unknown_size_header(id::cluster));
    else append(std::span(file).subspan(at, child.header_length));
    append(std::span(file).subspan(body, end - body));
    at = end;
  }
  return out;
}

int first_block_lacing(const std::vector<std::uint8_t>& file) {
  raw_header segment;
  std::size_t at = segment_payload(file, segment);
  bool in_cluster = false;
  for (;;) {
    const raw_header h = read_header(file, at);
    const std::size_t body = at + h.header_length;
    if (h.id == id::cluster || h.id == id::block_group) {
      in_cluster = true;
      at = body;
      continue;
    }
    if (in_cluster && (h.id == id::simple_block || h.id == id::block)) {
      const std::size_t track_length = static_cast<std::size_t>(std::countl_zero(file.at(body))) + 1;
      return (file.at(body + track_length + 2) >> 1) & 3;
    }
    at = body + static_cast<std::size_t>(h.size.value());
  }
}

namespace webm {

ebml::bytes ebml_header(std::string_view doc_type) {
  return ebml::master(id::ebml, {ebml::uint_element(0x4286, 1), ebml::uint_element(id::ebml_read_version, 1),
                                 ebml::uint_element(0x42F2, 4), ebml::uint_element(0x42F3, 8),
                                 ebml::string_element(id::doc_type, doc_type), ebml::uint_element(0x4287, 4),
                                 ebml::uint_element(0x4285, 2)});
}

ebml::bytes opus_head(std::uint8_t channels, std::uint16_t pre_skip) {
  return {'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, channels, static_cast<std::uint8_t>(pre_skip & 0xFF),
          static_cast<std::uint8_t>(pre_skip >> 8), 0x80, 0xBB, 0, 0, 0, 0, 0};
}

ebml::bytes track(std::uint64_t number, std::string_view codec_id, std::span<const std::uint8_t> codec_private,
                  std::optional<std::uint64_t> codec_delay_ns, std::span<const std::uint8_t> extra) {
  ebml::bytes children = ebml::cat({ebml::uint_element(id::track_number, number), ebml::uint_element(0x73C5, number),
                                    ebml::string_element(id::codec_id, codec_id),
                                    ebml::uint_element(id::track_type, codec_id.starts_with("V_") ? 1 : 2)});
  if (!codec_private.empty()) children = ebml::cat({children, ebml::element(id::codec_private, codec_private)});
  if (codec_delay_ns) children = ebml::cat({children, ebml::uint_element(id::codec_delay, *codec_delay_ns)});
  return ebml::element(id::track_entry, ebml::cat({children, extra}));
}

ebml::bytes opus_tracks(std::uint64_t number) {
  return ebml::master(id::tracks, {track(number, "A_OPUS", opus_head(), 6'500'000)});
}

ebml::bytes info(std::uint64_t timestamp_scale) {
  return ebml::master(id::info, {ebml::uint_element(id::timestamp_scale, timestamp_scale)});
}

ebml::bytes simple_block(std::uint64_t track, std::int16_t relative, std::span<const std::uint8_t> frame) {
  return ebml::element(id::simple_block, ebml::block_payload(track, relative, 0x80, frame));
}

ebml::bytes cluster(std::uint64_t timestamp, std::span<const std::uint8_t> blocks) {
  return ebml::master(id::cluster, {ebml::uint_element(id::cluster_timestamp, timestamp), blocks});
}

ebml::bytes file(std::span<const std::uint8_t> segment_children, std::string_view doc_type) {
  return ebml::cat({ebml_header(doc_type), ebml::element(id::segment, segment_children)});
}

const std::vector<std::vector<std::uint8_t>>& real_packets() {
  static const auto packets = [] {
    auto all = read_ogg_opus(fixture("stereo_20ms.opus")).packets;
    if (all.size() < 50) throw std::runtime_error("stereo_20ms.opus holds too few packets");
    all.resize(50);
    return all;
  }();
  return packets;
}

}  // namespace webm

}  // namespace spence::test
