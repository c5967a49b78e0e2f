// `spence_soundcloud_fixture`: the SoundCloud stand-in of the tests as a process, for
// `spence bench resolvers --soundcloud BASE` (scripts/bench-resolvers runs the two). Prints its
// base URL on one line, then serves until stdin closes.

#include "tests/resolvers/soundcloud_fixture.hpp"

#include <iostream>
#include <string>

int main() {
  spence::test::soundcloud_fixture fixture;
  std::cout << fixture.base() << std::endl;
  std::string ignored;
  while (std::getline(std::cin, ignored)) {
  }
  return 0;
}
