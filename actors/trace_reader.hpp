#pragma once
// Reads a trace written by trace_writer, segment after segment. Every problem is reported with the
// file and the byte offset of the record at fault; nothing in a damaged file can crash the reader
// or make it allocate without bound (records are capped at max_record_bytes).

#include "actors/clock.hpp"

#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace spence::actors {

struct trace_actor_decl {
  std::string name;
  std::string kind;
  boost::json::value config;
};

struct trace_record {
  enum class type { header, spawn, message, checkpoint, stop, next, end };
  type kind = type::header;
  std::uint64_t seq = 0;       // message, checkpoint; end: the last sequence number
  clock::time_point t{0};      // message, spawn, stop
  std::string actor;           // message, checkpoint, spawn, stop
  std::string name;            // message: its type; spawn: the actor kind; next: the next file
  boost::json::value payload;  // message: payload; spawn: config
  std::string outputs;         // checkpoint: digest of outputs, empty if none
  std::string failure;         // checkpoint: failure reason, empty if none
  std::uint64_t segment = 0;   // header
  std::vector<trace_actor_decl> actors;  // header
};

struct trace_error {
  boost::system::error_code code;
  std::string file;
  std::uint64_t offset = 0;
  std::string reason;
  std::string describe() const;
};

// One record from one line (without its newline); the reason on failure.
boost::system::result<trace_record, std::string> parse_trace_record(std::string_view line);

class trace_reader {
 public:
  static constexpr std::size_t max_record_bytes = 16 * 1024 * 1024;

  static boost::system::result<trace_reader, trace_error> open(const std::filesystem::path& first_segment);

  // The next record across segments (next-records are followed, not returned); nullopt at the end.
  boost::system::result<std::optional<trace_record>, trace_error> next();
  // True once the end record was read: the recording was closed cleanly.
  bool complete() const { return complete_; }
  // An error located at the record last returned (for problems found by the caller).
  trace_error fail(boost::system::error_code code, std::string reason) const;

 private:
  trace_reader() = default;
  boost::system::result<void, trace_error> open_segment(std::uint64_t index);

  std::filesystem::path first_;
  std::filesystem::path current_;
  std::ifstream in_;
  std::uint64_t segment_ = 0;
  std::uint64_t offset_ = 0;          // of the next record in the current segment
  std::uint64_t record_offset_ = 0;   // of the record being parsed
  std::uint64_t last_seq_ = 0;
  bool complete_ = false;
  bool done_ = false;
};

}  // namespace spence::actors
