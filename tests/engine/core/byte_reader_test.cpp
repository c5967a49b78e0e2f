#include "engine/byte_reader.hpp"
#include "engine/memory_source.hpp"
#include "tests/engine/stream_source.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::engine {
namespace {

std::vector<std::uint8_t> counting(std::size_t n) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), std::uint8_t{0});
  return v;
}

TEST(ByteReader, PeekDoesNotConsumeAndGathersShortReads) {
  byte_reader reader(std::make_unique<test::stream_source>(counting(100), 3, "trickle"), 16);
  const auto p = reader.peek(10);
  ASSERT_EQ(p.size(), 10u);
  EXPECT_EQ(p[9], 9);
  EXPECT_EQ(reader.position(), 0u);
  std::uint8_t out[12];
  reader.read_exact(out);
  EXPECT_EQ(out[11], 11);
  EXPECT_EQ(reader.position(), 12u);
}

TEST(ByteReader, ReadExactPastTheEndNamesSourceAndOffset) {
  byte_reader reader(std::make_unique<memory_source>(counting(5), "five.bin"), 16);
  std::uint8_t out[8];
  try {
    reader.read_exact(out);
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::truncated);
    EXPECT_STREQ(e.what(), "five.bin: at byte 5: needed 3 more bytes");
  }
}

TEST(ByteReader, SkipSeeksOnSeekableSourcesAndReadsThroughOthers) {
  byte_reader seekable(std::make_unique<memory_source>(counting(200), "m"), 16);
  seekable.skip(150);
  EXPECT_EQ(seekable.read_u8(), 150);
  byte_reader stream(std::make_unique<test::stream_source>(counting(200), 7, "trickle"), 16);
  stream.skip(150);
  EXPECT_EQ(stream.read_u8(), 150);
  EXPECT_THROW(stream.skip(100), media_error);
}

TEST(ByteReader, SeekBackwardsOnAStreamIsRefused) {
  byte_reader stream(std::make_unique<test::stream_source>(counting(50), 50, "trickle"), 16);
  stream.skip(20);
  try {
    stream.seek(2);
    FAIL() << "no error";
  } catch (const media_error& e) {
    EXPECT_EQ(e.code(), media_errc::not_seekable);
  }
}

TEST(ByteReader, PeekBeyondCapacityIsALimitNotAnOverflow) {
  byte_reader reader(std::make_unique<memory_source>(counting(100), "m"), 16);
  EXPECT_THROW(reader.peek(17), media_error);
  EXPECT_EQ(reader.peek(16).size(), 16u);
}

TEST(ByteReader, EmptySourceIsAtEnd) {
  byte_reader reader(std::make_unique<memory_source>(std::vector<std::uint8_t>{}, "empty"));
  EXPECT_TRUE(reader.at_end());
  EXPECT_THROW(reader.read_u8(), media_error);
}

}  // namespace
}  // namespace spence::engine
