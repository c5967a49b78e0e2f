#include "app/bench/open_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include <sys/resource.h>

namespace spence::app::bench {

void allow_open_files(std::size_t wanted) {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  const auto want = static_cast<rlim_t>(wanted);
  if (limit.rlim_cur >= want) return;
  limit.rlim_cur = std::min(want, limit.rlim_max);
  setrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur < want)
    throw std::runtime_error(fmt::format("this run needs {} open files; the limit is {}", wanted, limit.rlim_max));
}

}  // namespace spence::app::bench
