#include "engine/opus_decoding_source.hpp"

#include "engine/media_error.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace spence::engine {
namespace {

// For each channel count, where each Vorbis-order channel goes in WAV order (RFC 7845 section
// 5.1.1.2 against WAVE_FORMAT_EXTENSIBLE's order). Up to two channels the orders agree.
constexpr std::uint8_t vorbis_to_wav[9][8] = {
    {}, {0}, {0, 1}, {0, 2, 1}, {0, 1, 2, 3}, {0, 2, 1, 3, 4}, {0, 2, 1, 4, 5, 3},
    {0, 2, 1, 5, 6, 4, 3}, {0, 2, 1, 6, 7, 4, 5, 3}};

}  // namespace

opus_decoding_source::opus_decoding_source(std::unique_ptr<opus_demuxer> demuxer, std::string source)
    : demuxer_(std::move(demuxer)), source_(std::move(source)) {
  open_decoder();
  discard_ = demuxer_->info().codec_delay;
}

void opus_decoding_source::open_decoder() {
  const opus_head& head = demuxer_->info().head;
  if (head.channels > 8)
    throw media_error(media_errc::unsupported_codec, source_, fmt::format("Opus with {} channels", head.channels));
  if (head.mapping_family > 1)
    throw media_error(media_errc::unsupported_codec, source_,
                      fmt::format("Opus channel mapping family {}", head.mapping_family));
  decoder_.emplace(head, source_);
}

std::vector<float> opus_decoding_source::continue_from(std::span<const std::vector<std::uint8_t>> sent,
                                                       std::span<const std::uint8_t> next, std::int64_t timestamp) {
  std::span<const float> last;
  for (const auto& packet : sent) last = to_wav_order(decoder_->decode(packet));
  queued_.emplace(next.begin(), next.end());
  // Only the stream's first samples are codec delay; a packet from further in has none to drop.
  discard_ = std::max<std::int64_t>(0, demuxer_->info().codec_delay - timestamp);
  // The first sample returned, after any codec delay still to drop.
  position_ = std::max<std::int64_t>(0, timestamp + discard_ - demuxer_->info().codec_delay);
  decoded_ = {};
  return {last.begin(), last.end()};
}

pcm_format opus_decoding_source::format() const {
  return {48000, static_cast<std::uint16_t>(decoder_->channels())};
}

std::optional<std::int64_t> opus_decoding_source::duration_frames() const {
  const auto& info = demuxer_->info();
  if (!info.duration) return std::nullopt;
  return std::max<std::int64_t>(0, *info.duration - info.codec_delay);
}

bool opus_decoding_source::decode_next() {
  if (queued_) {
    decoded_queued_ = std::move(*queued_);
    queued_.reset();
    decoded_ = to_wav_order(decoder_->decode(decoded_queued_));
    last_packet_ = decoded_queued_;
    return true;
  }
  const auto next = demuxer_->next();
  if (!next) return false;
  if (next->stream_index != stream_index_) {
    // A chained stream starts afresh: new head, new decoder, its own pre-skip.
    stream_index_ = next->stream_index;
    open_decoder();
    discard_ = demuxer_->info().codec_delay;
  }
  decoded_ = to_wav_order(decoder_->decode(next->data));
  const std::size_t trimmed = std::min<std::size_t>(next->trim_end, decoded_.size() / decoder_->channels());
  decoded_ = decoded_.first(decoded_.size() - trimmed * decoder_->channels());
  last_packet_ = trimmed == 0 ? next->data : std::span<const std::uint8_t>();
  return true;
}

std::span<const float> opus_decoding_source::to_wav_order(std::span<const float> samples) {
  const int channels = decoder_->channels();
  if (channels <= 2) return samples;
  reordered_.resize(samples.size());
  const auto& map = vorbis_to_wav[channels];
  for (std::size_t f = 0; f < samples.size() / channels; ++f)
    for (int ch = 0; ch < channels; ++ch) reordered_[f * channels + map[ch]] = samples[f * channels + ch];
  return reordered_;
}

pcm_block opus_decoding_source::read(std::size_t max_frames) {
  const std::size_t channels = static_cast<std::size_t>(decoder_->channels());
  while (decoded_.empty() || discard_ > 0) {
    if (decoded_.empty() && !decode_next()) return {{}, format()};
    const std::size_t drop = std::min<std::size_t>(static_cast<std::size_t>(discard_), decoded_.size() / channels);
    decoded_ = decoded_.subspan(drop * channels);
    discard_ -= static_cast<std::int64_t>(drop);
  }
  std::size_t frames = std::min(max_frames, decoded_.size() / channels);
  if (const auto end = duration_frames()) {
    frames = static_cast<std::size_t>(std::clamp<std::int64_t>(*end - position_, 0, static_cast<std::int64_t>(frames)));
    if (frames == 0) decoded_ = {};  // past the stated end: the encoder's padding
  }
  const auto block = decoded_.first(frames * channels);
  decoded_ = decoded_.subspan(frames * channels);
  position_ += static_cast<std::int64_t>(frames);
  return {block, format()};
}

std::int64_t opus_decoding_source::seek(std::int64_t frame) {
  frame = std::max<std::int64_t>(0, frame);
  const std::int64_t target = frame + demuxer_->info().codec_delay;
  const std::int64_t reached = demuxer_->seek(std::max<std::int64_t>(0, target - preroll_samples));
  decoder_->reset();
  queued_.reset();
  decoded_ = {};
  last_packet_ = {};
  discard_ = std::max<std::int64_t>(0, target - reached);
  position_ = frame;
  return frame;
}

}  // namespace spence::engine
