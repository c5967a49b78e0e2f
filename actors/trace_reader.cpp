#include "actors/trace_reader.hpp"

#include "actors/error.hpp"
#include "actors/trace_writer.hpp"

#include <boost/json/parse.hpp>

#include <fmt/format.h>

namespace spence::actors {
namespace {

namespace json = boost::json;
using parse_result = boost::system::result<trace_record, std::string>;

const json::value* field(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : &it->value();
}

bool read_string(const json::object& o, std::string_view key, std::string& out) {
  auto* v = field(o, key);
  if (v == nullptr || !v->is_string()) return false;
  out.assign(v->as_string().data(), v->as_string().size());
  return true;
}

bool read_uint(const json::object& o, std::string_view key, std::uint64_t& out) {
  auto* v = field(o, key);
  if (v == nullptr) return false;
  if (v->is_uint64()) out = v->as_uint64();
  else if (v->is_int64() && v->as_int64() >= 0) out = static_cast<std::uint64_t>(v->as_int64());
  else return false;
  return true;
}

bool read_time(const json::object& o, clock::time_point& out) {
  auto* v = field(o, "t");
  if (v == nullptr || !v->is_int64()) {
    if (v == nullptr || !v->is_uint64() || v->as_uint64() > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = clock::time_point{static_cast<std::int64_t>(v->as_uint64())};
    return true;
  }
  out = clock::time_point{v->as_int64()};
  return true;
}

std::string missing(std::string_view what, std::string_view key) {
  return fmt::format("{} record lacks a valid \"{}\"", what, key);
}

parse_result parse_header(const json::object& o) {
  trace_record r;
  r.kind = trace_record::type::header;
  std::uint64_t version = 0;
  if (!read_uint(o, "version", version) || version != 1) return std::string("unsupported trace version");
  if (!read_uint(o, "segment", r.segment) || r.segment == 0) return missing("header", "segment");
  auto* actors = field(o, "actors");
  if (actors == nullptr || !actors->is_array()) return missing("header", "actors");
  for (const auto& a : actors->as_array()) {
    if (!a.is_object()) return std::string("header actor entry is not an object");
    trace_actor_decl d;
    if (!read_string(a.as_object(), "name", d.name)) return missing("header actor", "name");
    if (!read_string(a.as_object(), "kind", d.kind)) return missing("header actor", "kind");
    auto* config = field(a.as_object(), "config");
    if (config == nullptr) return missing("header actor", "config");
    d.config = *config;
    r.actors.push_back(std::move(d));
  }
  return r;
}

parse_result parse_object(const json::object& o) {
  trace_record r;
  if (o.contains("trace")) {
    std::string magic;
    if (!read_string(o, "trace", magic) || magic != "spence") return std::string("not a spence trace");
    return parse_header(o);
  }
  if (o.contains("seq")) {
    r.kind = trace_record::type::message;
    if (!read_uint(o, "seq", r.seq) || r.seq == 0) return missing("message", "seq");
    if (!read_time(o, r.t)) return missing("message", "t");
    if (!read_string(o, "actor", r.actor)) return missing("message", "actor");
    if (!read_string(o, "type", r.name)) return missing("message", "type");
    auto* payload = field(o, "payload");
    if (payload == nullptr) return missing("message", "payload");
    r.payload = *payload;
    return r;
  }
  if (o.contains("chk")) {
    r.kind = trace_record::type::checkpoint;
    if (!read_uint(o, "chk", r.seq) || r.seq == 0) return missing("checkpoint", "chk");
    if (!read_string(o, "actor", r.actor)) return missing("checkpoint", "actor");
    if (o.contains("out") && !read_string(o, "out", r.outputs)) return missing("checkpoint", "out");
    if (o.contains("failed") && !read_string(o, "failed", r.failure)) return missing("checkpoint", "failed");
    return r;
  }
  if (o.contains("spawn")) {
    r.kind = trace_record::type::spawn;
    if (!read_string(o, "spawn", r.actor)) return missing("spawn", "spawn");
    if (!read_time(o, r.t)) return missing("spawn", "t");
    if (!read_string(o, "kind", r.name)) return missing("spawn", "kind");
    auto* config = field(o, "config");
    if (config == nullptr) return missing("spawn", "config");
    r.payload = *config;
    return r;
  }
  if (o.contains("stop")) {
    r.kind = trace_record::type::stop;
    if (!read_string(o, "stop", r.actor)) return missing("stop", "stop");
    if (!read_time(o, r.t)) return missing("stop", "t");
    return r;
  }
  if (o.contains("next")) {
    r.kind = trace_record::type::next;
    if (!read_string(o, "next", r.name)) return missing("next", "next");
    return r;
  }
  if (o.contains("end")) {
    r.kind = trace_record::type::end;
    if (!read_uint(o, "end", r.seq)) return missing("end", "end");
    return r;
  }
  return std::string("record of unknown kind");
}

}  // namespace

std::string trace_error::describe() const {
  return fmt::format("{}: byte {}: {}: {}", file, offset, code.message(), reason);
}

parse_result parse_trace_record(std::string_view line) {
  boost::system::error_code ec;
  json::value v = json::parse(json::string_view(line.data(), line.size()), ec);
  if (ec) return fmt::format("invalid JSON ({})", ec.message());
  if (!v.is_object()) return std::string("record is not a JSON object");
  return parse_object(v.as_object());
}

trace_error trace_reader::fail(boost::system::error_code code, std::string reason) const {
  return trace_error{code, current_.string(), record_offset_, std::move(reason)};
}

boost::system::result<trace_reader, trace_error> trace_reader::open(const std::filesystem::path& first_segment) {
  trace_reader r;
  r.first_ = first_segment;
  auto opened = r.open_segment(1);
  if (!opened) return opened.error();
  return r;
}

boost::system::result<void, trace_error> trace_reader::open_segment(std::uint64_t index) {
  current_ = trace_segment_path(first_, index);
  in_ = std::ifstream(current_, std::ios::binary);
  offset_ = record_offset_ = 0;
  if (!in_) return fail(errc::trace_io, index == 1 ? "cannot open the trace" : "segment missing");
  segment_ = index;
  auto header = next();
  if (!header) return header.error();
  if (!*header || (*header)->kind != trace_record::type::header) return fail(errc::trace_malformed, "segment does not start with a header");
  if ((*header)->segment != index) return fail(errc::trace_malformed, fmt::format("header says segment {}, expected {}", (*header)->segment, index));
  return {};
}

boost::system::result<std::optional<trace_record>, trace_error> trace_reader::next() {
  for (;;) {
    if (done_) return std::optional<trace_record>{};
    record_offset_ = offset_;
    std::string line;
    char c = 0;
    bool newline = false;
    while (in_.get(c)) {
      if (c == '\n') {
        newline = true;
        break;
      }
      if (line.size() == max_record_bytes) return fail(errc::trace_malformed, "record longer than the 16 MiB limit");
      line.push_back(c);
    }
    if (in_.bad()) return fail(errc::trace_io, "read error");
    if (!newline) {
      if (line.empty()) {
        done_ = true;  // end of a trace whose recording was not closed (no end record)
        return std::optional<trace_record>{};
      }
      return fail(errc::trace_truncated, "the last record is cut off");
    }
    offset_ += line.size() + 1;
    auto parsed = parse_trace_record(line);
    if (!parsed) return fail(errc::trace_malformed, parsed.error());
    auto& r = *parsed;
    switch (r.kind) {
      case trace_record::type::next: {
        if (r.name != trace_segment_path(first_, segment_ + 1).filename().string())
          return fail(errc::trace_malformed, "next-segment record names an unexpected file");
        auto opened = open_segment(segment_ + 1);
        if (!opened) return opened.error();
        continue;
      }
      case trace_record::type::header:
        if (record_offset_ != 0) return fail(errc::trace_malformed, "header in the middle of a segment");
        break;
      case trace_record::type::message:
        if (r.seq <= last_seq_) return fail(errc::trace_malformed, fmt::format("sequence number {} after {}", r.seq, last_seq_));
        last_seq_ = r.seq;
        break;
      case trace_record::type::end:
        complete_ = true;
        done_ = true;
        break;
      default:
        break;
    }
    return std::optional<trace_record>{std::move(r)};
  }
}

}  // namespace spence::actors
