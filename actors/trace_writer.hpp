#pragma once
// Writes a trace as JSON Lines (docs/trace-format.md), rotating to a new segment file once the
// current one passes a size limit. Thread-safe: sequence numbers are assigned under the same lock
// that orders the lines, so file order is sequence order.

#include "actors/trace_sink.hpp"

#include <boost/system/result.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

namespace spence::actors {

struct trace_options {
  std::filesystem::path path;                       // first segment; later ones get ".2", ".3", ...
  std::uint64_t segment_bytes = 64ull * 1024 * 1024;  // rotate after a segment grows past this
};

// The file of segment `index` (1-based) of a trace whose first segment is `first`.
std::filesystem::path trace_segment_path(const std::filesystem::path& first, std::uint64_t index);

class trace_writer final : public trace_sink {
 public:
  static boost::system::result<std::unique_ptr<trace_writer>> open(trace_options options);
  ~trace_writer() override;

  void on_spawn(clock::time_point t, const std::string& actor, const std::string& kind,
                const boost::json::value& config) override;
  std::uint64_t on_message(clock::time_point t, const std::string& actor, const std::string& type,
                           std::string_view payload) override;
  void on_checkpoint(std::uint64_t seq, const std::string& actor, std::string_view outputs_digest,
                     std::string_view failure) override;
  void on_stop(clock::time_point t, const std::string& actor) override;

  // Pushes buffered records to the OS (records are otherwise written in 256 KiB batches).
  void flush();
  // Writes the end record and closes the file; later records are ignored.
  void close();

 private:
  struct spawned {
    std::string kind;
    boost::json::value config;
  };
  trace_writer(trace_options options, std::FILE* file);
  // Buffers `text`; the buffer goes to the file in large writes.
  void append_locked(std::string_view text);
  // Once the buffer holds a batch, writes it with the record lock released, so that other threads
  // go on recording during the write. Returns with `records` unlocked either way.
  void write_batch_if_full(std::unique_lock<std::mutex>& records);
  // Writes what is buffered now (rotation, flush, close).
  void drain_locked();
  void write_header_locked();
  void rotate_locked();

  trace_options options_;
  std::mutex mutex_;       // the records: buffer, sequence numbers, segment state
  std::mutex file_mutex_;  // the file: batches are written one at a time, in order; taken after mutex_
  std::FILE* file_;
  std::uint64_t segment_ = 1;
  std::uint64_t segment_bytes_written_ = 0;
  std::uint64_t next_seq_ = 1;
  std::map<std::string, spawned> alive_;  // listed in every segment header
  std::string pending_;                   // records not yet handed to the file
  std::string writing_;                   // the batch being written, under file_mutex_
};

}  // namespace spence::actors
