// The trace's file: whole blocks written directly where the filesystem allows it, the last
// partial block as a tail that the next append rewrites. The bytes read back must be exactly the
// bytes given, on a disk filesystem (direct I/O) and on tmpfs (ordinary writes).

#include "actors/append_file.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace spence::actors {
namespace {

namespace fs = std::filesystem;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Appends `text` in uneven pieces the way the trace writer does: what the file does not take
// stays in front of the next piece; a tail is written after every piece.
void append_like_the_writer(append_file& f, const std::string& text, const fs::path& p) {
  std::string pending;
  std::size_t at = 0, piece = 1;
  while (at < text.size()) {
    auto n = std::min(text.size() - at, piece * 7919 % 300000 + 1);
    pending.append(text, at, n);
    at += n;
    ++piece;
    auto whole = f.takes(pending.size());
    f.append(std::string_view(pending).substr(0, whole));
    pending.erase(0, whole);
    f.write_tail(pending);
    ASSERT_EQ(read_file(p), text.substr(0, at)) << "after " << at << " bytes";
  }
}

class append_file_on : public ::testing::TestWithParam<fs::path> {};

TEST_P(append_file_on, reads_back_exactly_what_was_appended) {
  if (!fs::is_directory(GetParam())) GTEST_SKIP() << GetParam() << " is missing";
  auto p = GetParam() / ("spence-append-file-" + std::to_string(::getpid()));
  std::string text;
  for (int i = 0; text.size() < 3'000'000; ++i) text += "{\"seq\":" + std::to_string(i) + ",\"payload\":{}}\n";
  {
    auto f = append_file::open(p);
    ASSERT_TRUE(f);
    append_like_the_writer(*f, text, p);
  }
  EXPECT_EQ(read_file(p), text);
  // Opening again truncates.
  { ASSERT_TRUE(append_file::open(p)); }
  EXPECT_EQ(fs::file_size(p), 0u);
  fs::remove(p);
}

INSTANTIATE_TEST_SUITE_P(filesystems, append_file_on,
                         ::testing::Values(fs::current_path(), fs::path("/dev/shm")));

TEST(append_file, a_file_that_cannot_be_created_is_refused) {
  EXPECT_FALSE(append_file::open("/nonexistent-directory/trace"));
}

}  // namespace
}  // namespace spence::actors
