#pragma once
// Benchmarks of thousands of players and connections need more descriptors than the default soft
// limit: raise it towards the hard limit.

#include <cstddef>

namespace spence::app::bench {

// Raises the soft limit on open files to at least `wanted`. Throws std::runtime_error when the
// hard limit is lower.
void allow_open_files(std::size_t wanted);

}  // namespace spence::app::bench
