#pragma once
// Range checks for filter settings. Messages start with the field name so the chain can prefix
// the filter's name and the REST API can hand the whole sentence back in a 400.

#include <string_view>

namespace spence::engine {

enum class lower_bound { inclusive, exclusive };

// Throws std::invalid_argument unless value is finite and within [lo, hi] (or (lo, hi]).
void require_range(std::string_view field, double value, double lo, double hi,
                   lower_bound lower = lower_bound::inclusive);

// Throws std::invalid_argument unless value is finite and at least lo.
void require_at_least(std::string_view field, double value, double lo);

// Throws std::invalid_argument unless value is finite (a NaN or infinity never reaches the DSP).
void require_finite(std::string_view field, double value);

}  // namespace spence::engine
