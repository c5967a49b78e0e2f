#pragma once
// The Opus identification header (RFC 7845 section 5.1), carried by Ogg Opus as its first packet
// and by Matroska/WebM as the track's CodecPrivate.

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace spence::engine {

struct opus_head {
  std::uint8_t channels = 0;
  std::uint16_t pre_skip = 0;           // 48 kHz samples to drop at the start of decoding
  std::uint32_t input_sample_rate = 0;  // informational: the rate before encoding
  std::int16_t output_gain_q8 = 0;      // dB in Q7.8, to apply after decoding
  std::uint8_t mapping_family = 0;      // 0: mono/stereo; 1 and 255: multichannel with a mapping table
  std::uint8_t stream_count = 1;
  std::uint8_t coupled_count = 0;
  std::vector<std::uint8_t> channel_mapping;  // one entry per channel when mapping_family != 0
};

// The head of a plain stereo 48 kHz stream (mapping family 0): what spence's encoder writes and what
// Discord's voice carries.
opus_head stereo_opus_head();

// Parses an OpusHead packet. Throws media_error(malformed or unsupported_codec) naming source.
opus_head parse_opus_head(std::span<const std::uint8_t> bytes, std::string_view source);

// Serializes a head as RFC 7845 lays it out (the Ogg writer's first packet).
std::vector<std::uint8_t> serialize_opus_head(const opus_head& head);

}  // namespace spence::engine
