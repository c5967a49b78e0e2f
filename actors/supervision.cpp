#include "actors/supervision.hpp"

#include <algorithm>

namespace spence::actors {

bool restart_window::admit(const supervision& policy, clock::time_point now) {
  std::erase_if(recent_, [&](clock::time_point t) { return now - t >= policy.within; });
  if (recent_.size() >= policy.max_restarts) return false;
  recent_.push_back(now);
  ++total_;
  return true;
}

}  // namespace spence::actors
