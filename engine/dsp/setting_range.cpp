#include "engine/dsp/setting_range.hpp"

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>

namespace spence::engine {
namespace {

[[noreturn]] void reject(std::string_view field, double value, std::string_view allowed) {
  std::ostringstream message;
  message << field << " must be " << allowed << " (got " << value << ")";
  throw std::invalid_argument(message.str());
}

std::string interval(double lo, double hi, lower_bound lower) {
  std::ostringstream text;
  text << "in " << (lower == lower_bound::inclusive ? "[" : "(") << lo << ", " << hi << "]";
  return text.str();
}

}  // namespace

void require_range(std::string_view field, double value, double lo, double hi, lower_bound lower) {
  const bool above_lo = lower == lower_bound::inclusive ? value >= lo : value > lo;
  if (!std::isfinite(value) || !above_lo || value > hi) reject(field, value, interval(lo, hi, lower));
}

void require_at_least(std::string_view field, double value, double lo) {
  if (!std::isfinite(value) || value < lo) {
    std::ostringstream allowed;
    allowed << "finite and >= " << lo;
    reject(field, value, allowed.str());
  }
}

void require_finite(std::string_view field, double value) {
  if (!std::isfinite(value)) reject(field, value, "finite");
}

}  // namespace spence::engine
