#include "actors/json_text.hpp"

#include <boost/json/serializer.hpp>

#include <fmt/format.h>

namespace spence::actors {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  // Runs of characters that need no escape (nearly all of them) are appended whole.
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto u = static_cast<unsigned char>(s[i]);
    if (u >= 0x20 && u != '"' && u != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (u) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out.push_back(hex[u >> 4]);
        out.push_back(hex[u & 0xf]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json(std::string& out, const boost::json::value& v) {
  boost::json::serializer sr;
  sr.reset(&v);
  char chunk[4096];
  while (!sr.done()) {
    auto part = sr.read(chunk, sizeof chunk);
    out.append(part.data(), part.size());
  }
}

void append_json_number(std::string& out, std::int64_t n) {
  fmt::format_int text(n);
  out.append(text.data(), text.size());
}

void append_json_number(std::string& out, std::uint64_t n) {
  fmt::format_int text(n);
  out.append(text.data(), text.size());
}

}  // namespace spence::actors
