#include "engine/webm/matroska_segment_head.hpp"

#include "engine/webm/ebml_children.hpp"
#include "engine/webm/matroska_ids.hpp"
#include "engine/webm/matroska_time.hpp"
#include "engine/webm/webm_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace spence::engine {
namespace {

constexpr std::array<std::uint8_t, 4> ebml_magic{0x1A, 0x45, 0xDF, 0xA3};

// Reads a master element whole (they are small) and hands out its children.
class buffered_master {
 public:
  buffered_master(ebml_reader& reader, const ebml_element& element, std::string_view what)
      : source_(reader.source_name()) {
    reader.read_body(element, webm_limits::max_header_element, what, body_);
    offset_ = element.body_start;
  }
  ebml_children children() const { return ebml_children(body_, offset_, source_); }

 private:
  std::string_view source_;
  std::vector<std::uint8_t> body_;
  std::uint64_t offset_ = 0;
};

void check_ebml_header(ebml_reader& reader) {
  const auto magic = reader.bytes().peek(ebml_magic.size());
  if (!std::ranges::equal(magic, ebml_magic))
    reader.fail(media_errc::unsupported_format, "not an EBML stream (WebM or Matroska)");
  const auto element = reader.read_element(std::nullopt);
  const buffered_master header(reader, *element, "EBML header");
  ebml_children children = header.children();
  std::string_view doc_type;
  while (const auto child = children.next()) {
    if (child->id == matroska_id::doc_type) doc_type = children.read_string(*child);
    if (child->id == matroska_id::ebml_read_version && children.read_uint(*child) > 1)
      children.fail(*child, media_errc::unsupported_format, "EBML read version above 1");
  }
  if (doc_type != "webm" && doc_type != "matroska")
    reader.fail(media_errc::unsupported_format, fmt::format("EBML DocType \"{}\" is neither webm nor matroska", doc_type));
}

matroska_segment open_segment(ebml_reader& reader) {
  for (;;) {
    const auto element = reader.read_element(std::nullopt);
    if (!element) reader.fail(media_errc::truncated, "the input ends before the Segment");
    if (element->id == matroska_id::segment) return {element->body_start, element->end()};
    if (element->id != matroska_id::void_element && element->id != matroska_id::crc32)
      reader.fail(media_errc::malformed, fmt::format("element 0x{:X} where the Segment should start", element->id));
    reader.skip_body(*element);
  }
}

std::optional<std::uint64_t> cues_offset_in(ebml_children seek_head) {
  while (const auto seek = seek_head.next()) {
    if (seek->id != matroska_id::seek) continue;
    ebml_children children = seek_head.children_of(*seek);
    std::optional<std::uint64_t> id;
    std::optional<std::uint64_t> position;
    while (const auto child = children.next()) {
      // SeekID holds the target's ID bytes as written.
      if (child->id == matroska_id::seek_id) id = children.read_uint(*child);
      if (child->id == matroska_id::seek_position) position = children.read_uint(*child);
    }
    if (id == matroska_id::cues && position) return position;
  }
  return std::nullopt;
}

void read_info(ebml_children info, matroska_segment_head& head) {
  std::optional<ebml_child> duration;
  while (const auto child = info.next()) {
    if (child->id == matroska_id::timestamp_scale) {
      head.timestamp_scale = info.read_uint(*child);
      if (head.timestamp_scale == 0) info.fail(*child, media_errc::malformed, "TimestampScale of 0");
    }
    if (child->id == matroska_id::duration) duration = child;
  }
  // Duration counts in ticks, so it converts once the scale is known, whichever came first.
  if (duration) {
    head.duration = matroska_duration_to_samples(info.read_float(*duration), head.timestamp_scale);
    if (!head.duration) info.fail(*duration, media_errc::malformed, "Duration is negative, not finite or out of range");
  }
}

}  // namespace

matroska_segment_head read_matroska_segment_head(ebml_reader& reader) {
  check_ebml_header(reader);
  matroska_segment_head head;
  head.segment = open_segment(reader);
  head.timestamp_scale = matroska_default_timestamp_scale;
  std::optional<matroska_opus_track> track;
  while (const auto element = read_segment_child(reader, head.segment)) {
    switch (element->id) {
      case matroska_id::cluster: head.first_cluster = element; break;
      case matroska_id::seek_head: {
        const auto offset = cues_offset_in(buffered_master(reader, *element, "SeekHead").children());
        if (offset && !head.cues_position) head.cues_position = head.segment.data_start + *offset;
        break;
      }
      case matroska_id::info: read_info(buffered_master(reader, *element, "Info").children(), head); break;
      case matroska_id::tracks:
        if (!track) track = select_opus_track(buffered_master(reader, *element, "Tracks").children());
        else reader.skip_body(*element);
        break;
      case matroska_id::cues:
        head.cues_position = element->start;
        reader.skip_body(*element);
        break;
      default: reader.skip_body(*element); break;
    }
    if (head.first_cluster) break;
  }
  if (!track) reader.fail(media_errc::malformed, "no Tracks element before the first Cluster");
  head.track = std::move(*track);
  return head;
}

}  // namespace spence::engine
