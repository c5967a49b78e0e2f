#include "actors/trace_writer.hpp"

#include "actors/error.hpp"

#include <boost/json/serialize.hpp>

#include <fmt/format.h>

namespace spence::actors {
namespace {

std::string json_string(std::string_view s) { return boost::json::serialize(boost::json::string_view(s.data(), s.size())); }

}  // namespace

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
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
}

trace_writer::~trace_writer() { close(); }

void trace_writer::write_locked(const std::string& line) {
  if (file_ == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), file_);
  segment_bytes_written_ += line.size();
}

void trace_writer::write_header_locked() {
  boost::json::array actors;
  for (const auto& [name, s] : alive_) actors.push_back({{"name", name}, {"kind", s.kind}, {"config", s.config}});
  boost::json::object header{{"trace", "spence"}, {"version", 1}, {"segment", segment_}, {"actors", std::move(actors)}};
  write_locked(boost::json::serialize(header) + "\n");
}

void trace_writer::rotate_locked() {
  auto next = trace_segment_path(options_.path, segment_ + 1);
  std::FILE* f = std::fopen(next.c_str(), "wb");
  if (f == nullptr) return;  // keep writing the current segment rather than lose records
  write_locked(fmt::format("{{\"next\":{}}}\n", json_string(next.filename().string())));
  std::fclose(file_);
  file_ = f;
  std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
  ++segment_;
  segment_bytes_written_ = 0;
  write_header_locked();
}

void trace_writer::on_spawn(clock::time_point t, const std::string& actor, const std::string& kind,
                            const boost::json::value& config) {
  auto line = fmt::format("{{\"spawn\":{},\"t\":{},\"kind\":{},\"config\":{}}}\n", json_string(actor), t.count(),
                          json_string(kind), boost::json::serialize(config));
  std::lock_guard lock(mutex_);
  alive_[actor] = spawned{kind, config};
  write_locked(line);
}

std::uint64_t trace_writer::on_message(clock::time_point t, const std::string& actor, const std::string& type,
                                       const boost::json::value& payload) {
  auto body = fmt::format("\"t\":{},\"actor\":{},\"type\":{},\"payload\":{}}}\n", t.count(), json_string(actor),
                          json_string(type), boost::json::serialize(payload));
  std::lock_guard lock(mutex_);
  if (segment_bytes_written_ >= options_.segment_bytes) rotate_locked();
  auto seq = next_seq_++;
  write_locked(fmt::format("{{\"seq\":{},", seq) + body);
  return seq;
}

void trace_writer::on_checkpoint(std::uint64_t seq, const std::string& actor, std::string_view outputs_digest,
                                 std::string_view failure) {
  auto line = fmt::format("{{\"chk\":{},\"actor\":{}", seq, json_string(actor));
  if (!outputs_digest.empty()) line += fmt::format(",\"out\":\"{}\"", outputs_digest);
  if (!failure.empty()) line += fmt::format(",\"failed\":{}", json_string(failure));
  line += "}\n";
  std::lock_guard lock(mutex_);
  write_locked(line);
}

void trace_writer::on_stop(clock::time_point t, const std::string& actor) {
  auto line = fmt::format("{{\"stop\":{},\"t\":{}}}\n", json_string(actor), t.count());
  std::lock_guard lock(mutex_);
  alive_.erase(actor);
  write_locked(line);
}

void trace_writer::flush() {
  std::lock_guard lock(mutex_);
  if (file_ != nullptr) std::fflush(file_);
}

void trace_writer::close() {
  std::lock_guard lock(mutex_);
  if (file_ == nullptr) return;
  write_locked(fmt::format("{{\"end\":{}}}\n", next_seq_ - 1));
  std::fclose(file_);
  file_ = nullptr;
}

}  // namespace spence::actors
