#include "engine/opus_decoder.hpp"

#include "engine/media_error.hpp"

#include <opus/opus_multistream.h>

#include <fmt/format.h>

#include <utility>

namespace spence::engine {

opus_decoder::opus_decoder(const opus_head& head, std::string source)
    : channels_(head.channels), source_(std::move(source)), output_(static_cast<std::size_t>(max_frame_samples) * head.channels) {
  // Mapping family 0 is the multistream case of one stream; one code path serves every head.
  std::vector<unsigned char> mapping = head.channel_mapping;
  int streams = head.stream_count;
  int coupled = head.coupled_count;
  if (head.mapping_family == 0) {
    mapping = head.channels == 2 ? std::vector<unsigned char>{0, 1} : std::vector<unsigned char>{0};
    streams = 1;
    coupled = head.channels == 2 ? 1 : 0;
  }
  int error = OPUS_OK;
  decoder_ = opus_multistream_decoder_create(48000, head.channels, streams, coupled, mapping.data(), &error);
  if (error != OPUS_OK || decoder_ == nullptr)
    throw media_error(media_errc::codec, source_, fmt::format("Opus decoder: {}", opus_strerror(error)));
  // RFC 7845: the head's output gain is applied by the decoder.
  if (head.output_gain_q8 != 0) opus_multistream_decoder_ctl(decoder_, OPUS_SET_GAIN(head.output_gain_q8));
}

opus_decoder::~opus_decoder() { opus_multistream_decoder_destroy(decoder_); }

opus_decoder::opus_decoder(opus_decoder&& other) noexcept
    : decoder_(std::exchange(other.decoder_, nullptr)),
      channels_(other.channels_),
      source_(std::move(other.source_)),
      output_(std::move(other.output_)) {}

opus_decoder& opus_decoder::operator=(opus_decoder&& other) noexcept {
  std::swap(decoder_, other.decoder_);
  channels_ = other.channels_;
  source_ = std::move(other.source_);
  output_ = std::move(other.output_);
  return *this;
}

std::span<const float> opus_decoder::decode(std::span<const std::uint8_t> packet) {
  const int frames = opus_multistream_decode_float(decoder_, packet.data(), static_cast<opus_int32>(packet.size()),
                                                   output_.data(), max_frame_samples, 0);
  if (frames < 0)
    throw media_error(media_errc::codec, source_,
                      fmt::format("Opus packet of {} bytes: {}", packet.size(), opus_strerror(frames)));
  return std::span<const float>(output_).first(static_cast<std::size_t>(frames) * channels_);
}

void opus_decoder::reset() { opus_multistream_decoder_ctl(decoder_, OPUS_RESET_STATE); }

}  // namespace spence::engine
