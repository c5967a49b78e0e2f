#include "actors/deterministic_executor.hpp"

namespace spence::actors {

deterministic_executor::deterministic_executor(clock::time_point start)
    : clock_(std::make_shared<virtual_clock>(start)) {}

std::size_t deterministic_executor::run_until_idle() {
  std::size_t total = 0;
  for (;;) {
    io_.restart();
    auto n = io_.poll();
    if (n == 0) return total;
    total += n;
  }
}

void deterministic_executor::run_for(clock::duration d) {
  const auto target = clock_->now() + d;
  run_until_idle();
  while (auto next = clock_->next_deadline()) {
    if (*next > target) break;
    clock_->advance_to(*next);
    run_until_idle();
  }
  clock_->advance_to(target);
  run_until_idle();
}

}  // namespace spence::actors
