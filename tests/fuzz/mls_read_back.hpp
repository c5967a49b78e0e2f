#pragma once
// What every MLS fuzz target checks of a structure it managed to read: it writes back to exactly
// the bytes it was read from (MLS encodings are canonical), or the target aborts.

#include "net/dave/mls/structure_codec.hpp"

#include <algorithm>
#include <cstdlib>
#include <optional>

namespace spence::net::dave::mls::fuzz {

// The structure read from exactly `input` (kept in `holder`), or nullptr if it does not read.
template <typename T>
const T* read_back_exactly(bytes_view input, std::optional<T>& holder) {
  auto value = decode<T>(input);
  if (!value) return nullptr;
  const bytes written = encode(*value);
  if (!std::equal(written.begin(), written.end(), input.begin(), input.end())) std::abort();
  holder = *std::move(value);
  return &*holder;
}

}  // namespace spence::net::dave::mls::fuzz
