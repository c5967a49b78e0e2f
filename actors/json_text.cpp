#include "actors/json_text.hpp"

#include <boost/json/serializer.hpp>

namespace spence::actors {

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out.push_back(hex[u >> 4]);
          out.push_back(hex[u & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
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

}  // namespace spence::actors
