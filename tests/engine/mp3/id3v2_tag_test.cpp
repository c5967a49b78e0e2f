#include "engine/mp3/id3v2_tag.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace spence::engine {
namespace {

std::vector<std::uint8_t> header(std::uint8_t flags, std::uint8_t s0, std::uint8_t s1, std::uint8_t s2, std::uint8_t s3) {
  return {'I', 'D', '3', 3, 0, flags, s0, s1, s2, s3};
}

TEST(Id3v2Tag, SizeIsSynchsafeAndCountsTheHeader) {
  EXPECT_EQ(id3v2_tag_bytes(header(0, 0, 0, 0, 0)), 10u);
  EXPECT_EQ(id3v2_tag_bytes(header(0, 0, 0, 0x02, 0x01)), 10u + 257u);
  EXPECT_EQ(id3v2_tag_bytes(header(0, 0x7F, 0x7F, 0x7F, 0x7F)), 10u + (1u << 28) - 1);
}

TEST(Id3v2Tag, FooterAddsTenBytes) { EXPECT_EQ(id3v2_tag_bytes(header(0x10, 0, 0, 0, 5)), 25u); }

TEST(Id3v2Tag, AnythingElseIsNotATag) {
  EXPECT_EQ(id3v2_tag_bytes(header(0, 0x80, 0, 0, 0)), std::nullopt) << "size byte with its high bit set";
  auto bad_version = header(0, 0, 0, 0, 0);
  bad_version[3] = 0xFF;
  EXPECT_EQ(id3v2_tag_bytes(bad_version), std::nullopt);
  auto not_id3 = header(0, 0, 0, 0, 0);
  not_id3[0] = 'X';
  EXPECT_EQ(id3v2_tag_bytes(not_id3), std::nullopt);
  const auto whole = header(0, 0, 0, 0, 0);
  EXPECT_EQ(id3v2_tag_bytes(std::span(whole).first(9)), std::nullopt) << "short";
}

}  // namespace
}  // namespace spence::engine
