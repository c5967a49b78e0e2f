#include "engine/opus_decoder.hpp"

#include "engine/media_error.hpp"

#include <opus/opus.h>
#include <opus/opus_multistream.h>

#include <fmt/format.h>

#include <cstring>
#include <stdexcept>
#include <utility>

namespace spence::engine {

opus_decoder::opus_decoder(const opus_head& head, std::string source)
    : channels_(head.channels), source_(std::move(source)), output_(static_cast<std::size_t>(max_frame_samples) * head.channels) {
  int error = OPUS_OK;
  if (head.mapping_family == 0) {
    single_ = opus_decoder_create(48000, head.channels, &error);
  } else {
    multiple_ = opus_multistream_decoder_create(48000, head.channels, head.stream_count, head.coupled_count,
                                                head.channel_mapping.data(), &error);
  }
  if (error != OPUS_OK || (single_ == nullptr && multiple_ == nullptr))
    throw media_error(media_errc::codec, source_, fmt::format("Opus decoder: {}", opus_strerror(error)));
  // RFC 7845: the head's output gain is applied by the decoder.
  if (head.output_gain_q8 != 0) {
    if (single_) opus_decoder_ctl(single_, OPUS_SET_GAIN(head.output_gain_q8));
    if (multiple_) opus_multistream_decoder_ctl(multiple_, OPUS_SET_GAIN(head.output_gain_q8));
  }
}

opus_decoder::~opus_decoder() {
  opus_decoder_destroy(single_);
  opus_multistream_decoder_destroy(multiple_);
}

opus_decoder::opus_decoder(opus_decoder&& other) noexcept
    : single_(std::exchange(other.single_, nullptr)),
      multiple_(std::exchange(other.multiple_, nullptr)),
      channels_(other.channels_),
      source_(std::move(other.source_)),
      output_(std::move(other.output_)) {}

opus_decoder& opus_decoder::operator=(opus_decoder&& other) noexcept {
  std::swap(single_, other.single_);
  std::swap(multiple_, other.multiple_);
  channels_ = other.channels_;
  source_ = std::move(other.source_);
  output_ = std::move(other.output_);
  return *this;
}

std::span<const float> opus_decoder::decode(std::span<const std::uint8_t> packet) {
  const auto size = static_cast<opus_int32>(packet.size());
  const int frames = single_ ? opus_decode_float(single_, packet.data(), size, output_.data(), max_frame_samples, 0)
                             : opus_multistream_decode_float(multiple_, packet.data(), size, output_.data(), max_frame_samples, 0);
  if (frames < 0)
    throw media_error(media_errc::codec, source_,
                      fmt::format("Opus packet of {} bytes: {}", packet.size(), opus_strerror(frames)));
  return std::span<const float>(output_).first(static_cast<std::size_t>(frames) * channels_);
}

void opus_decoder::copy_state_from(const opus_decoder& other) {
  if (!single_ || !other.single_ || channels_ != other.channels_)
    throw std::invalid_argument("opus_decoder::copy_state_from: both must be single-stream decoders with the same channels");
  // libopus documents its decoder state as position independent and freely copyable.
  std::memcpy(static_cast<void*>(single_), other.single_, static_cast<std::size_t>(opus_decoder_get_size(channels_)));
}

void opus_decoder::reset() {
  if (single_) opus_decoder_ctl(single_, OPUS_RESET_STATE);
  if (multiple_) opus_multistream_decoder_ctl(multiple_, OPUS_RESET_STATE);
}

}  // namespace spence::engine
