#include "engine/wav/wav_source.hpp"

#include "engine/wav/wav_header.hpp"
#include "engine/wav/wav_samples.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace spence::engine {
namespace {

// Bounds one block and its buffers (at most 4096 * 8 channels * 8 bytes = 256 KiB of input):
// 85 ms at 48 kHz, more than one 20 ms tick asks for.
constexpr std::size_t max_block_frames = 4096;

class wav_source final : public pcm_source {
 public:
  explicit wav_source(std::unique_ptr<byte_reader> reader)
      : reader_(std::move(reader)), layout_(read_wav_header(*reader_)), end_frame_(find_end_frame()) {}

  pcm_format format() const override { return {layout_.format.sample_rate, layout_.format.channels}; }
  std::optional<std::int64_t> duration_frames() const override { return end_frame_; }
  pcm_block read(std::size_t max_frames) override;
  std::int64_t seek(std::int64_t frame) override;

 private:
  // The frame after the last whole one: from the declared data size, clamped to the input's size
  // when that is known; unknown for a streamed WAV from a stream.
  std::optional<std::int64_t> find_end_frame() const;
  // Reads until out is full or the input ends; returns the bytes read.
  std::size_t read_up_to(std::span<std::uint8_t> out);

  std::unique_ptr<byte_reader> reader_;
  wav_layout layout_;
  std::optional<std::int64_t> end_frame_;
  std::int64_t frame_ = 0;  // the next frame read() returns
  bool input_ended_ = false;
  std::vector<std::uint8_t> bytes_;
  std::vector<float> samples_;
};

std::optional<std::int64_t> wav_source::find_end_frame() const {
  std::optional<std::uint64_t> bytes = layout_.data_bytes;
  if (const auto size = reader_->size()) {
    const std::uint64_t present = *size > layout_.data_offset ? *size - layout_.data_offset : 0;
    bytes = std::min(bytes.value_or(present), present);
  }
  if (!bytes) return std::nullopt;
  return static_cast<std::int64_t>(*bytes / layout_.format.block_align);
}

pcm_block wav_source::read(std::size_t max_frames) {
  const pcm_format out_format = format();
  std::size_t frames = std::min(max_frames, max_block_frames);
  if (end_frame_) frames = std::min<std::size_t>(frames, static_cast<std::size_t>(std::max<std::int64_t>(*end_frame_ - frame_, 0)));
  if (input_ended_ || frames == 0) return pcm_block{{}, out_format};

  const std::size_t block_align = layout_.format.block_align;
  bytes_.resize(frames * block_align);
  const std::size_t got = read_up_to(bytes_);
  if (got < bytes_.size()) input_ended_ = true;  // the partial frame, if any, is dropped
  const std::size_t whole = got / block_align;
  samples_.resize(whole * out_format.channels);
  convert_wav_samples(layout_.format.type, std::span(bytes_).first(whole * block_align), samples_);
  frame_ += static_cast<std::int64_t>(whole);
  return pcm_block{samples_, out_format};
}

std::size_t wav_source::read_up_to(std::span<std::uint8_t> out) {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::size_t got = reader_->read_some(out.subspan(done));
    if (got == 0) break;
    done += got;
  }
  return done;
}

std::int64_t wav_source::seek(std::int64_t frame) {
  if (!reader_->seekable()) reader_->fail(media_errc::not_seekable, "a WAV stream cannot seek");
  const std::uint64_t block_align = layout_.format.block_align;
  // Without a known end, the furthest frame whose byte offset still fits in 64 bits.
  const auto furthest = static_cast<std::int64_t>(
      std::min<std::uint64_t>((std::numeric_limits<std::uint64_t>::max() - layout_.data_offset) / block_align,
                              std::numeric_limits<std::int64_t>::max()));
  const std::int64_t target = std::clamp<std::int64_t>(frame, 0, end_frame_.value_or(furthest));
  reader_->seek(layout_.data_offset + static_cast<std::uint64_t>(target) * block_align);
  frame_ = target;
  input_ended_ = false;
  return target;
}

}  // namespace

std::unique_ptr<pcm_source> open_wav(std::unique_ptr<byte_reader> reader) {
  return std::make_unique<wav_source>(std::move(reader));
}

}  // namespace spence::engine
