#include "actors/trace_writer.hpp"

#include "actors/error.hpp"
#include "actors/json_text.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace spence::actors {

std::filesystem::path trace_segment_path(const std::filesystem::path& first, std::uint64_t index) {
  if (index <= 1) return first;
  auto p = first;
  p += "." + std::to_string(index);
  return p;
}

boost::system::result<std::unique_ptr<trace_writer>> trace_writer::open(trace_options options) {
  std::FILE* f = std::fopen(options.path.c_str(), "wb");
  if (f == nullptr) return make_error_code(errc::trace_io);
  std::unique_ptr<trace_writer> w(new trace_writer(std::move(options), f));
  std::lock_guard lock(w->mutex_);
  w->write_header_locked();
  return w;
}

trace_writer::trace_writer(trace_options options, std::FILE* file) : options_(std::move(options)), file_(file) {
  std::setvbuf(file_, nullptr, _IONBF, 0);  // pending_ is the buffer: no second copy
}

trace_writer::~trace_writer() { close(); }

namespace {
// Records go to the file in writes of about this size.
constexpr std::size_t batch_bytes = 256 * 1024;
}  // namespace

void trace_writer::append_locked(std::string_view text) {
  if (file_ == nullptr) return;
  pending_.append(text);
  segment_bytes_written_ += text.size();
}

void trace_writer::write_batch_if_full(std::unique_lock<std::mutex>& records) {
  if (pending_.size() < batch_bytes) return records.unlock();
  // Taken before the record lock is released: the batch before this one is written first.
  std::lock_guard file(file_mutex_);
  std::swap(pending_, writing_);
  records.unlock();
  if (file_ != nullptr) std::fwrite(writing_.data(), 1, writing_.size(), file_);
  writing_.clear();
}

void trace_writer::drain_locked() {
  std::lock_guard file(file_mutex_);
  if (file_ != nullptr && !pending_.empty()) std::fwrite(pending_.data(), 1, pending_.size(), file_);
  pending_.clear();
}

void trace_writer::write_header_locked() {
  boost::json::array actors;
  for (const auto& [name, s] : alive_) actors.push_back({{"name", name}, {"kind", s.kind}, {"config", s.config}});
  boost::json::object header{{"trace", "spence"}, {"version", 1}, {"segment", segment_}, {"actors", std::move(actors)}};
  append_locked(boost::json::serialize(header) + "\n");
}

void trace_writer::rotate_locked() {
  auto next = trace_segment_path(options_.path, segment_ + 1);
  std::FILE* f = std::fopen(next.c_str(), "wb");
  if (f == nullptr) return;  // keep writing the current segment rather than lose records
  std::string record = "{\"next\":";
  append_json_string(record, next.filename().string());
  record += "}\n";
  append_locked(record);
  drain_locked();
  std::fclose(file_);
  file_ = f;
  std::setvbuf(file_, nullptr, _IONBF, 0);  // pending_ is the buffer: no second copy
  ++segment_;
  segment_bytes_written_ = 0;
  write_header_locked();
}

namespace {
// Each record is formatted into this thread's line buffer outside the lock.
std::string& line_buffer() {
  thread_local std::string line;
  line.clear();
  return line;
}
}  // namespace

void trace_writer::on_spawn(clock::time_point t, const std::string& actor, const std::string& kind,
                            const boost::json::value& config) {
  auto& line = line_buffer();
  line += "{\"spawn\":";
  append_json_string(line, actor);
  line += ",\"t\":";
  append_json_number(line, t.count());
  line += ",\"kind\":";
  append_json_string(line, kind);
  line += ",\"config\":";
  append_json(line, config);
  line += "}\n";
  std::unique_lock lock(mutex_);
  alive_[actor] = spawned{kind, config};
  append_locked(line);
  write_batch_if_full(lock);
}

std::uint64_t trace_writer::on_message(clock::time_point t, const std::string& actor, const std::string& type,
                                       std::string_view payload) {
  auto& body = line_buffer();
  body += ",\"t\":";
  append_json_number(body, t.count());
  body += ",\"actor\":";
  append_json_string(body, actor);
  body += ",\"type\":";
  append_json_string(body, type);
  body += ",\"payload\":";
  body += payload;
  body += "}\n";
  std::unique_lock lock(mutex_);
  if (segment_bytes_written_ >= options_.segment_bytes) rotate_locked();
  auto seq = next_seq_++;
  char head[32];
  auto head_end = fmt::format_to(head, "{{\"seq\":{}", seq);
  append_locked(std::string_view(head, static_cast<std::size_t>(head_end - head)));
  append_locked(body);
  write_batch_if_full(lock);
  return seq;
}

void trace_writer::on_checkpoint(std::uint64_t seq, const std::string& actor, std::string_view outputs_digest,
                                 std::string_view failure) {
  auto& line = line_buffer();
  line += "{\"chk\":";
  append_json_number(line, seq);
  line += ",\"actor\":";
  append_json_string(line, actor);
  if (!outputs_digest.empty()) {
    line += ",\"out\":";
    append_json_string(line, outputs_digest);
  }
  if (!failure.empty()) {
    line += ",\"failed\":";
    append_json_string(line, failure);
  }
  line += "}\n";
  std::unique_lock lock(mutex_);
  append_locked(line);
  write_batch_if_full(lock);
}

void trace_writer::on_stop(clock::time_point t, const std::string& actor) {
  auto& line = line_buffer();
  line += "{\"stop\":";
  append_json_string(line, actor);
  line += ",\"t\":";
  append_json_number(line, t.count());
  line += "}\n";
  std::unique_lock lock(mutex_);
  alive_.erase(actor);
  append_locked(line);
  write_batch_if_full(lock);
}

void trace_writer::flush() {
  std::lock_guard lock(mutex_);
  drain_locked();
  if (file_ != nullptr) std::fflush(file_);
}

void trace_writer::close() {
  std::lock_guard lock(mutex_);
  if (file_ == nullptr) return;
  append_locked(fmt::format("{{\"end\":{}}}\n", next_seq_ - 1));
  drain_locked();
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace spence::actors
