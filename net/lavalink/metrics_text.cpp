#include "net/lavalink/metrics_text.hpp"

#include <fmt/format.h>

#include <cmath>
#include <stdexcept>

namespace spence::net::lavalink {
namespace {

bool valid_name(std::string_view name, bool colons) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (colons && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void append_escaped(std::string& out, std::string_view value, bool quotes) {
  for (const char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && quotes) out += "\\\"";
    else out += c;
  }
}

// Prometheus spells the special values its own way; integers print without an exponent.
std::string number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return fmt::format("{:.0f}", value);
  return fmt::format("{}", value);
}

}  // namespace

void metrics_text::family(std::string_view name, std::string_view type, std::string_view help) {
  if (!valid_name(name, true)) throw std::invalid_argument(fmt::format("metric name '{}'", name));
  if (type != "gauge" && type != "counter") throw std::invalid_argument(fmt::format("metric type '{}'", type));
  family_ = name;
  text_ += "# HELP ";
  text_ += name;
  text_ += ' ';
  append_escaped(text_, help, false);
  text_ += "\n# TYPE ";
  text_ += name;
  text_ += ' ';
  text_ += type;
  text_ += '\n';
}

void metrics_text::sample(double value, std::initializer_list<label> labels) {
  if (family_.empty()) throw std::logic_error("a metric sample before its family");
  text_ += family_;
  if (labels.size() > 0) {
    text_ += '{';
    bool first = true;
    for (const auto& [name, label_value] : labels) {
      if (!valid_name(name, false) || name.starts_with("__"))
        throw std::invalid_argument(fmt::format("metric label name '{}'", name));
      if (!first) text_ += ',';
      first = false;
      text_ += name;
      text_ += "=\"";
      append_escaped(text_, label_value, true);
      text_ += '"';
    }
    text_ += '}';
  }
  text_ += ' ';
  text_ += number(value);
  text_ += '\n';
}

}  // namespace spence::net::lavalink
