#pragma once
// A single-threaded executor driven by hand, with a virtual clock: handlers run in the order they
// were posted and time moves only through run_for(). Tests use it for exact timer behaviour;
// replay uses it to re-run a trace deterministically.

#include "actors/clock.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/io_context.hpp>

#include <memory>

namespace spence::actors {

class deterministic_executor {
 public:
  explicit deterministic_executor(clock::time_point start = clock::time_point{0});

  boost::asio::any_io_executor executor() { return io_.get_executor(); }
  const std::shared_ptr<virtual_clock>& clock() const { return clock_; }

  // Runs ready handlers (and those they make ready) until none is left. Returns how many ran.
  std::size_t run_until_idle();
  // Moves virtual time forward by `d`, stopping at each timer deadline on the way to run what
  // became ready.
  void run_for(clock::duration d);

 private:
  boost::asio::io_context io_{1};
  std::shared_ptr<virtual_clock> clock_;
};

}  // namespace spence::actors
