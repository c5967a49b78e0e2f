#include "engine/mp3/mp3_source.hpp"

#include "engine/mp3/id3v2_tag.hpp"
#include "engine/mp3/mpg123_setup.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <exception>
#include <utility>
#include <vector>

namespace spence::engine {
namespace {

// Input that may pass without one decoded sample before the stream counts as junk; an MPEG frame
// is at most a few kilobytes. libmpg123 gives up on junk beyond its resync limit when it reads a
// file, but fed in chunks it starts counting over with each chunk, and some things it scans through
// without any limit (a "RIFF" that never reaches "data", tags after tags). This bound ends all of
// them, and so also bounds the feeder's memory, which holds what libmpg123 has not consumed.
constexpr std::uint64_t max_input_without_audio = 1024 * 1024;

// Bounds one block (and its buffer): 85 ms at 48 kHz, more than one 20 ms tick asks for.
constexpr std::size_t max_block_frames = 4096;

// Bytes handed to the feeder at a time: a few frames, one network read.
constexpr std::size_t feed_chunk_bytes = 16 * 1024;

class mp3_source final : public pcm_source {
 public:
  explicit mp3_source(std::unique_ptr<byte_reader> reader);

  pcm_format format() const override { return start_format_; }
  std::optional<std::int64_t> duration_frames() const override;
  pcm_block read(std::size_t max_frames) override;
  std::int64_t seek(std::int64_t frame) override;

 private:
  const std::string& name() const { return reader_->source_name(); }
  void open_as_file();
  void open_as_feed();
  // Decodes MPEG frames until one yields samples (kept in frame_); false at the end of the stream.
  bool decode_next_frame();
  // Gives the feeder the next chunk of input; false at the end of the input.
  bool feed_more();
  void count_input(std::size_t bytes);
  void update_format();
  // Rethrows what the byte source threw inside a libmpg123 callback, where it could not propagate.
  void rethrow_input_error();
  [[noreturn]] void fail(int code, std::string_view during);

  static mpg123_ssize_t read_callback(void* self, void* buffer, std::size_t bytes);
  static off_t seek_callback(void* self, off_t offset, int whence);

  std::unique_ptr<byte_reader> reader_;
  mpg123_ptr handle_;  // declared after reader_: deleted first, while its callbacks' reader lives
  bool file_mode_ = false;
  std::exception_ptr input_error_;
  // Whether a decode is under way: only then does input without audio count against the bound
  // (a seek reads frame headers across the file on purpose).
  bool decoding_ = false;
  std::uint64_t input_without_audio_ = 0;
  pcm_format start_format_;
  pcm_format format_;          // what libmpg123 decodes to now
  std::vector<float> frame_;   // the last decoded MPEG frame, interleaved
  pcm_format frame_format_;
  std::size_t frame_taken_ = 0;  // samples of frame_ already returned
  std::vector<float> block_;     // what read() returns: frames gathered up to its max_frames
  std::vector<std::uint8_t> feed_buffer_;
};

mp3_source::mp3_source(std::unique_ptr<byte_reader> reader)
    : reader_(std::move(reader)), handle_(make_mpg123_decoder(reader_->source_name())) {
  if (reader_->seekable() && reader_->size()) {
    open_as_file();
  } else {
    open_as_feed();
  }
  if (!decode_next_frame() && format_.channels == 0)
    reader_->fail(media_errc::malformed, "no MPEG audio frame found");
  start_format_ = format_;
}

void mp3_source::open_as_file() {
  file_mode_ = true;
  mpg123_handle* h = handle_.get();
  int result = mpg123_replace_reader_handle(h, &read_callback, &seek_callback, nullptr);
  if (result == MPG123_OK) result = mpg123_open_handle(h, this);
  if (result != MPG123_OK) fail(result, "opening the stream");
}

void mp3_source::open_as_feed() {
  // libmpg123's feeder can only skip a tag once all of it is buffered; skip it here instead.
  if (const auto tag = id3v2_tag_bytes(reader_->peek(id3v2_header_bytes))) reader_->skip(*tag);
  const int result = mpg123_open_feed(handle_.get());
  if (result != MPG123_OK) fail(result, "opening the stream");
  feed_buffer_.resize(feed_chunk_bytes);
}

std::optional<std::int64_t> mp3_source::duration_frames() const {
  if (!file_mode_) return std::nullopt;
  const off_t length = mpg123_length(handle_.get());
  if (length < 0) return std::nullopt;
  return static_cast<std::int64_t>(length);
}

pcm_block mp3_source::read(std::size_t max_frames) {
  block_.clear();
  pcm_format block_format = frame_format_;
  for (;;) {
    if (frame_taken_ == frame_.size() && !decode_next_frame()) break;
    if (block_.empty()) {
      block_format = frame_format_;
    } else if (frame_format_ != block_format) {
      break;  // the new format starts the next block
    }
    const std::size_t limit = std::min(max_frames, max_block_frames) * block_format.channels;
    const std::size_t take = std::min(limit - block_.size(), frame_.size() - frame_taken_);
    block_.insert(block_.end(), frame_.begin() + static_cast<std::ptrdiff_t>(frame_taken_),
                  frame_.begin() + static_cast<std::ptrdiff_t>(frame_taken_ + take));
    frame_taken_ += take;
    if (block_.size() == limit) break;
  }
  if (block_.empty()) return pcm_block{{}, format_};
  return pcm_block{block_, block_format};
}

std::int64_t mp3_source::seek(std::int64_t frame) {
  if (!file_mode_) reader_->fail(media_errc::not_seekable, "an MP3 stream read as it arrives cannot seek");
  std::int64_t target = std::max<std::int64_t>(frame, 0);
  if (const auto length = duration_frames()) target = std::min(target, *length);
  off_t reached = mpg123_seek(handle_.get(), static_cast<off_t>(target), SEEK_SET);
  rethrow_input_error();
  if (reached < 0) fail(static_cast<int>(reached), fmt::format("seeking to frame {}", target));
  frame_.clear();
  frame_taken_ = 0;
  input_without_audio_ = 0;
  return static_cast<std::int64_t>(reached);
}

bool mp3_source::decode_next_frame() {
  decoding_ = true;
  struct stop_decoding {
    bool& flag;
    ~stop_decoding() { flag = false; }
  } guard{decoding_};
  for (;;) {
    unsigned char* audio = nullptr;
    std::size_t bytes = 0;
    const int result = mpg123_decode_frame(handle_.get(), nullptr, &audio, &bytes);
    rethrow_input_error();
    switch (result) {
      case MPG123_OK:
        // Gapless decoding trims whole frames at the start and end: those come back empty.
        if (bytes == 0) continue;
        frame_.resize(bytes / sizeof(float));
        frame_taken_ = 0;
        std::memcpy(frame_.data(), audio, frame_.size() * sizeof(float));
        // libmpg123 does not clip float output; a loud master overshoots [-1, 1] slightly.
        for (float& s : frame_) s = std::clamp(s, -1.0f, 1.0f);
        frame_format_ = format_;
        input_without_audio_ = 0;
        return true;
      case MPG123_NEW_FORMAT:
        update_format();
        continue;
      case MPG123_NEED_MORE:
        if (!feed_more()) return false;
        continue;
      case MPG123_DONE:
        return false;
      default:
        fail(result, "decoding");
    }
  }
}

bool mp3_source::feed_more() {
  const std::size_t got = reader_->read_some(feed_buffer_);
  if (got == 0) return false;
  count_input(got);
  const int result = mpg123_feed(handle_.get(), feed_buffer_.data(), got);
  if (result != MPG123_OK) fail(result, "feeding the decoder");
  return true;
}

void mp3_source::count_input(std::size_t bytes) {
  if (!decoding_) return;
  input_without_audio_ += bytes;
  if (input_without_audio_ > max_input_without_audio)
    reader_->fail(media_errc::malformed,
                  fmt::format("no MPEG audio decoded from the last {} bytes", input_without_audio_));
}

void mp3_source::update_format() {
  long rate = 0;
  int channels = 0;
  int encoding = 0;
  const int result = mpg123_getformat(handle_.get(), &rate, &channels, &encoding);
  if (result != MPG123_OK) fail(result, "reading the output format");
  if (encoding != MPG123_ENC_FLOAT_32 || rate <= 0 || channels < 1 || channels > 2)
    reader_->fail(media_errc::codec,
                  fmt::format("libmpg123 chose output {} Hz, {} channels, encoding {:#x} instead of float",
                              rate, channels, encoding));
  format_ = pcm_format{static_cast<std::uint32_t>(rate), static_cast<std::uint16_t>(channels)};
}

void mp3_source::rethrow_input_error() {
  if (input_error_) std::rethrow_exception(std::exchange(input_error_, nullptr));
}

void mp3_source::fail(int code, std::string_view during) {
  throw_mpg123_error(handle_.get(), code, name(), fmt::format("at byte {}: {}", reader_->position(), during));
}

mpg123_ssize_t mp3_source::read_callback(void* self, void* buffer, std::size_t bytes) {
  auto& source = *static_cast<mp3_source*>(self);
  try {
    const std::size_t got = source.reader_->read_some(std::span(static_cast<std::uint8_t*>(buffer), bytes));
    source.count_input(got);
    return static_cast<mpg123_ssize_t>(got);
  } catch (...) {
    // An exception must not unwind through libmpg123's C frames.
    source.input_error_ = std::current_exception();
    return -1;
  }
}

off_t mp3_source::seek_callback(void* self, off_t offset, int whence) {
  auto& source = *static_cast<mp3_source*>(self);
  try {
    if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) return -1;
    byte_reader& reader = *source.reader_;
    const std::uint64_t size = reader.size().value_or(0);
    const std::uint64_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? reader.position() : size;
    const std::uint64_t distance = offset < 0 ? 0 - static_cast<std::uint64_t>(offset) : static_cast<std::uint64_t>(offset);
    if (offset < 0 && distance > base) return -1;
    const std::uint64_t target = std::min(offset < 0 ? base - distance : base + distance, size);
    reader.seek(target);
    return static_cast<off_t>(target);
  } catch (...) {
    source.input_error_ = std::current_exception();
    return -1;
  }
}

}  // namespace

std::unique_ptr<pcm_source> open_mp3(std::unique_ptr<byte_reader> reader) {
  return std::make_unique<mp3_source>(std::move(reader));
}

}  // namespace spence::engine
