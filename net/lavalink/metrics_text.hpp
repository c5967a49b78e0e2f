#pragma once
// Prometheus's text exposition format (version 0.0.4), the /metrics page's: a family of samples
// under one name (# HELP, # TYPE, then `name{label="value"} number` lines). Names and label names
// are checked against the format's grammar, since a bad one would make a scraper drop the whole
// page; label values are escaped (backslash, quote, line break).

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace spence::net::lavalink {

class metrics_text {
 public:
  using label = std::pair<std::string_view, std::string_view>;

  // Starts a family. `type` is "gauge" or "counter". Throws std::invalid_argument for a name
  // outside [a-zA-Z_:][a-zA-Z0-9_:]* or an unknown type (a programming error, not input).
  void family(std::string_view name, std::string_view type, std::string_view help);
  // A sample of the family begun last.
  void sample(double value, std::initializer_list<label> labels = {});

  const std::string& text() const { return text_; }
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  std::string text_;
  std::string family_;
};

}  // namespace spence::net::lavalink
