#pragma once
// Where a test finds the media its area's fixture script generated (SPENCE_FIXTURES).

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string_view>
#include <vector>

namespace spence::test {

inline std::filesystem::path fixture(std::string_view name) {
  const char* dir = std::getenv("SPENCE_FIXTURES");
  if (dir == nullptr) ADD_FAILURE() << "SPENCE_FIXTURES is not set; run the tests through ctest";
  auto path = std::filesystem::path(dir ? dir : ".") / name;
  if (!std::filesystem::exists(path)) ADD_FAILURE() << "missing fixture " << path;
  return path;
}

inline std::vector<std::uint8_t> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace spence::test
