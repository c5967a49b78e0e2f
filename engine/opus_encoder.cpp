#include "engine/opus_encoder.hpp"

#include "engine/media_error.hpp"

#include <opus/opus.h>

#include <fmt/format.h>

namespace spence::engine {
namespace {

[[noreturn]] void fail(std::string_view what, int error) {
  throw media_error(media_errc::codec, "opus encoder", fmt::format("{}: {}", what, opus_strerror(error)));
}

}  // namespace

opus_encoder::opus_encoder(const opus_encoder_settings& settings) : packet_(max_packet_bytes) {
  int error = OPUS_OK;
  encoder_ = opus_encoder_create(sample_rate, channels, OPUS_APPLICATION_AUDIO, &error);
  if (error != OPUS_OK) fail("create", error);
  if (int e = opus_encoder_ctl(encoder_, OPUS_SET_BITRATE(settings.bitrate)); e != OPUS_OK) {
    opus_encoder_destroy(encoder_);
    fail(fmt::format("bitrate {}", settings.bitrate), e);
  }
  if (int e = opus_encoder_ctl(encoder_, OPUS_SET_COMPLEXITY(settings.complexity)); e != OPUS_OK) {
    opus_encoder_destroy(encoder_);
    fail(fmt::format("complexity {}", settings.complexity), e);
  }
  opus_encoder_ctl(encoder_, OPUS_SET_INBAND_FEC(1));
  opus_encoder_ctl(encoder_, OPUS_SET_PACKET_LOSS_PERC(settings.expected_loss_percent));
}

opus_encoder::~opus_encoder() { opus_encoder_destroy(encoder_); }

std::span<const std::uint8_t> opus_encoder::encode(std::span<const float> stereo_frame) {
  const int bytes = opus_encode_float(encoder_, stereo_frame.data(), frame_samples, packet_.data(),
                                      static_cast<opus_int32>(packet_.size()));
  if (bytes < 0) fail("encode", bytes);
  return std::span<const std::uint8_t>(packet_).first(static_cast<std::size_t>(bytes));
}

void opus_encoder::set_prediction(bool enabled) {
  opus_encoder_ctl(encoder_, OPUS_SET_PREDICTION_DISABLED(enabled ? 0 : 1));
}

void opus_encoder::set_expected_loss(int percent) {
  opus_encoder_ctl(encoder_, OPUS_SET_PACKET_LOSS_PERC(percent));
}

int opus_encoder::lookahead() const {
  opus_int32 samples = 0;
  opus_encoder_ctl(encoder_, OPUS_GET_LOOKAHEAD(&samples));
  return samples;
}

}  // namespace spence::engine
