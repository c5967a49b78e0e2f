#include "engine/opus_head.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>

#include <cstring>

namespace spence::engine {
namespace {

std::uint16_t le16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | p[1] << 8); }
std::uint32_t le32(const std::uint8_t* p) {
  return static_cast<std::uint32_t>(p[0]) | static_cast<std::uint32_t>(p[1]) << 8 |
         static_cast<std::uint32_t>(p[2]) << 16 | static_cast<std::uint32_t>(p[3]) << 24;
}

}  // namespace

opus_head stereo_opus_head() {
  opus_head head;
  head.channels = 2;
  head.input_sample_rate = 48000;
  return head;
}

opus_head parse_opus_head(std::span<const std::uint8_t> bytes, std::string_view source) {
  if (bytes.size() < 19 || std::memcmp(bytes.data(), "OpusHead", 8) != 0)
    throw media_error(media_errc::malformed, source, "OpusHead missing or shorter than 19 bytes");
  // Versions 0-15 share the layout (RFC 7845: a reader must accept minor versions it does not know).
  if ((bytes[8] & 0xF0) != 0)
    throw media_error(media_errc::unsupported_codec, source, fmt::format("OpusHead version {}", bytes[8]));
  opus_head head;
  head.channels = bytes[9];
  head.pre_skip = le16(&bytes[10]);
  head.input_sample_rate = le32(&bytes[12]);
  head.output_gain_q8 = static_cast<std::int16_t>(le16(&bytes[16]));
  head.mapping_family = bytes[18];
  if (head.channels == 0) throw media_error(media_errc::malformed, source, "OpusHead with 0 channels");
  if (head.mapping_family == 0) {
    if (head.channels > 2)
      throw media_error(media_errc::malformed, source, "OpusHead mapping family 0 with more than 2 channels");
    head.stream_count = 1;
    head.coupled_count = head.channels == 2 ? 1 : 0;
    return head;
  }
  if (bytes.size() < 21u + head.channels)
    throw media_error(media_errc::malformed, source, "OpusHead channel mapping table truncated");
  head.stream_count = bytes[19];
  head.coupled_count = bytes[20];
  if (head.stream_count == 0 || head.coupled_count > head.stream_count ||
      head.stream_count + head.coupled_count > 255)
    throw media_error(media_errc::malformed, source, "OpusHead stream counts are inconsistent");
  head.channel_mapping.assign(bytes.begin() + 21, bytes.begin() + 21 + head.channels);
  for (const std::uint8_t m : head.channel_mapping)
    if (m != 255 && m >= head.stream_count + head.coupled_count)
      throw media_error(media_errc::malformed, source, "OpusHead channel mapping names a missing stream");
  return head;
}

std::vector<std::uint8_t> serialize_opus_head(const opus_head& head) {
  std::vector<std::uint8_t> out{'O', 'p', 'u', 's', 'H', 'e', 'a', 'd', 1, head.channels};
  const auto push16 = [&](std::uint16_t v) { out.push_back(v & 0xFF); out.push_back(v >> 8); };
  push16(head.pre_skip);
  push16(static_cast<std::uint16_t>(head.input_sample_rate & 0xFFFF));
  push16(static_cast<std::uint16_t>(head.input_sample_rate >> 16));
  push16(static_cast<std::uint16_t>(head.output_gain_q8));
  out.push_back(head.mapping_family);
  if (head.mapping_family != 0) {
    out.push_back(head.stream_count);
    out.push_back(head.coupled_count);
    out.insert(out.end(), head.channel_mapping.begin(), head.channel_mapping.end());
  }
  return out;
}

}  // namespace spence::engine
