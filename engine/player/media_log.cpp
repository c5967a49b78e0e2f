#include "engine/player/media_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <fstream>
#include <iterator>

namespace spence::engine {
namespace {

constexpr std::array<char, 8> magic = {'S', 'P', 'M', 'E', 'D', 'I', 'A', '1'};
constexpr std::size_t stream_buffer_bytes = 64 * 1024;
constexpr std::size_t max_name_bytes = 64 * 1024;

// Record kinds.
constexpr char read_record = 'R';
constexpr char seek_record = 'S';
constexpr char failure_record = 'E';
constexpr char available_run = 'A';
constexpr char may_wait_run = 'W';

std::string_view call_name(char kind) {
  switch (kind) {
    case read_record: return "read";
    case seek_record: return "seek";
    case available_run: return "available";
    case may_wait_run: return "may_wait";
    default: return "unknown";
  }
}

}  // namespace

std::filesystem::path media_logs_beside(const std::filesystem::path& trace) {
  auto dir = trace;
  dir += ".media";
  return dir;
}

namespace {
// The logs' directory (TRACE.media) is made on the first recording.
std::FILE* create_log(const std::filesystem::path& log) {
  std::error_code ignored;  // a failure shows as the open's
  std::filesystem::create_directories(log.parent_path(), ignored);
  return std::fopen(log.c_str(), "wb");
}
}  // namespace

recording_source::recording_source(std::unique_ptr<byte_source> inner, const std::filesystem::path& log)
    : inner_(std::move(inner)),
      buffer_(stream_buffer_bytes),
      log_(create_log(log)),
      seekable_(inner_->seekable()),
      size_(inner_->size()) {
  if (!log_) throw media_error(media_errc::io, log.string(), fmt::format("cannot create media log: {}", std::strerror(errno)));
  std::setvbuf(log_.get(), buffer_.data(), _IOFBF, buffer_.size());
  put(magic.data(), magic.size());
  const auto& name = inner_->name();
  put_u64(name.size());
  put(name.data(), name.size());
  const std::uint8_t flags[2] = {static_cast<std::uint8_t>(seekable_), static_cast<std::uint8_t>(size_.has_value())};
  put(flags, sizeof flags);
  put_u64(size_.value_or(0));
}

recording_source::~recording_source() { flush_run(); }

void recording_source::put(const void* bytes, std::size_t n) const {
  // A failed write cannot be reported from here without failing the track; the replay of an
  // incomplete log reports the divergence instead.
  std::fwrite(bytes, 1, n, log_.get());
}

void recording_source::put_u64(std::uint64_t v) const {
  std::uint8_t b[8];
  for (int i = 0; i < 8; ++i) b[i] = static_cast<std::uint8_t>(v >> (8 * i));
  put(b, sizeof b);
}

void recording_source::flush_run() const {
  if (run_length_ == 0) return;
  put(&run_kind_, 1);
  put_u64(run_value_);
  put_u64(run_length_);
  run_length_ = 0;
}

void recording_source::note_answer(char kind, std::uint64_t value) const {
  if (run_length_ > 0 && run_kind_ == kind && run_value_ == value) {
    ++run_length_;
    return;
  }
  flush_run();
  run_kind_ = kind;
  run_value_ = value;
  run_length_ = 1;
}

void recording_source::record_and_rethrow(const media_error& e) const {
  // what() is "<source>: <detail>"; the replay rebuilds it from the name and the detail.
  std::string_view detail = e.what();
  if (detail.starts_with(e.source() + ": ")) detail.remove_prefix(e.source().size() + 2);
  put(&failure_record, 1);
  const auto code = static_cast<std::uint8_t>(e.code());
  put(&code, 1);
  put_u64(detail.size());
  put(detail.data(), detail.size());
  throw e;
}

std::size_t recording_source::read(std::span<std::uint8_t> out) {
  flush_run();
  std::size_t n = 0;
  try {
    n = inner_->read(out);
  } catch (const media_error& e) {
    record_and_rethrow(e);
  }
  put(&read_record, 1);
  put_u64(out.size());
  put_u64(n);
  put(out.data(), n);
  return n;
}

void recording_source::seek(std::uint64_t offset) {
  flush_run();
  try {
    inner_->seek(offset);
  } catch (const media_error& e) {
    record_and_rethrow(e);
  }
  put(&seek_record, 1);
  put_u64(offset);
}

std::size_t recording_source::available() const {
  auto n = inner_->available();
  note_answer(available_run, n);
  return n;
}

bool recording_source::may_wait() const {
  bool w = inner_->may_wait();
  note_answer(may_wait_run, w ? 1 : 0);
  return w;
}

replayed_source::replayed_source(const std::filesystem::path& log) : origin_(log.string()) {
  std::ifstream in(log, std::ios::binary);
  if (!in) throw media_error(media_errc::io, origin_, "cannot open the recorded media log");
  log_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  read_header();
}

replayed_source::replayed_source(std::vector<std::uint8_t> log, std::string origin)
    : log_(std::move(log)), origin_(std::move(origin)) {
  read_header();
}

std::span<const std::uint8_t> replayed_source::take(std::size_t n) const {
  if (n > log_.size() - at_)
    throw media_error(media_errc::truncated, origin_, fmt::format("the media log ends inside a record at byte {}", at_));
  std::span<const std::uint8_t> s(log_.data() + at_, n);
  at_ += n;
  return s;
}

std::uint64_t replayed_source::take_u64() const {
  auto b = take(8);
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | b[static_cast<std::size_t>(i)];
  return v;
}

void replayed_source::read_header() {
  auto m = take(magic.size());
  if (!std::equal(m.begin(), m.end(), magic.begin()))
    throw media_error(media_errc::malformed, origin_, "not a spence media log");
  auto name_length = take_u64();
  if (name_length > max_name_bytes)
    throw media_error(media_errc::limit_exceeded, origin_, fmt::format("a source name of {} bytes", name_length));
  auto name = take(static_cast<std::size_t>(name_length));
  name_.assign(name.begin(), name.end());
  auto flags = take(2);
  if (flags[0] > 1 || flags[1] > 1) throw media_error(media_errc::malformed, origin_, "bad flags in the media log header");
  seekable_ = flags[0] == 1;
  auto size = take_u64();
  if (flags[1] == 1) size_ = size;
}

void replayed_source::diverged(const std::string& what) const {
  throw media_error(media_errc::malformed, origin_, "replay diverged from the recorded media reads: " + what);
}

char replayed_source::next_kind(char expected) const {
  if (run_left_ > 0)
    diverged(fmt::format("{} called where {} more {}() answers were recorded", call_name(expected), run_left_,
                         call_name(run_kind_)));
  if (at_ == log_.size()) diverged(fmt::format("{} called after the last recorded call", call_name(expected)));
  char kind = static_cast<char>(take(1)[0]);
  if (kind == failure_record) {
    auto code = take(1)[0];
    if (code < static_cast<std::uint8_t>(media_errc::io) || code > static_cast<std::uint8_t>(media_errc::codec))
      throw media_error(media_errc::malformed, origin_, fmt::format("unknown error code {} in the media log", code));
    auto length = take_u64();
    auto detail = take(static_cast<std::size_t>(length));
    throw media_error(static_cast<media_errc>(code), name_, std::string(detail.begin(), detail.end()));
  }
  if (kind != expected) diverged(fmt::format("{} called where {} was recorded", call_name(expected), call_name(kind)));
  return kind;
}

std::uint64_t replayed_source::answer(char kind) const {
  if (run_left_ == 0) {
    next_kind(kind);
    run_kind_ = kind;
    run_value_ = take_u64();
    run_left_ = take_u64();
    if (run_left_ == 0) throw media_error(media_errc::malformed, origin_, "an empty run in the media log");
  } else if (run_kind_ != kind) {
    diverged(fmt::format("{} called where {} more {}() answers were recorded", call_name(kind), run_left_,
                         call_name(run_kind_)));
  }
  --run_left_;
  return run_value_;
}

std::size_t replayed_source::read(std::span<std::uint8_t> out) {
  next_kind(read_record);
  auto requested = take_u64();
  auto returned = take_u64();
  if (requested != out.size())
    diverged(fmt::format("read of {} bytes where {} were recorded", out.size(), requested));
  if (returned > requested) throw media_error(media_errc::malformed, origin_, "a read record returning more than asked");
  auto bytes = take(static_cast<std::size_t>(returned));
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return bytes.size();
}

void replayed_source::seek(std::uint64_t offset) {
  next_kind(seek_record);
  auto recorded = take_u64();
  if (recorded != offset) diverged(fmt::format("seek to {} where {} was recorded", offset, recorded));
}

std::size_t replayed_source::available() const { return static_cast<std::size_t>(answer(available_run)); }

bool replayed_source::may_wait() const { return answer(may_wait_run) != 0; }

}  // namespace spence::engine
