#include "net/http/byte_ring.hpp"

#include <gtest/gtest.h>

#include <numeric>

namespace spence::net {
namespace {

std::vector<std::uint8_t> counting(std::size_t n, std::uint8_t from) {
  std::vector<std::uint8_t> v(n);
  std::iota(v.begin(), v.end(), from);
  return v;
}

TEST(byte_ring, keeps_order_across_the_wrap) {
  byte_ring ring(8);
  ring.push(counting(6, 0));
  std::vector<std::uint8_t> out(4);
  EXPECT_EQ(ring.pop(out), 4u);
  EXPECT_EQ(out, counting(4, 0));
  ring.push(counting(6, 6));  // bytes 6..11 wrap around the end of the storage
  EXPECT_EQ(ring.size(), 8u);
  EXPECT_EQ(ring.free(), 0u);
  out.resize(8);
  EXPECT_EQ(ring.pop(out), 8u);
  EXPECT_EQ(out, counting(8, 4));
  EXPECT_TRUE(ring.empty());
}

TEST(byte_ring, pop_and_discard_stop_at_what_is_held) {
  byte_ring ring(4);
  ring.push(counting(3, 10));
  EXPECT_EQ(ring.discard(1), 1u);
  std::vector<std::uint8_t> out(10);
  EXPECT_EQ(ring.pop(out), 2u);
  EXPECT_EQ(out[0], 11);
  EXPECT_EQ(out[1], 12);
  EXPECT_EQ(ring.discard(5), 0u);
  EXPECT_EQ(ring.pop(out), 0u);
}

TEST(byte_ring, clear_empties_and_restarts) {
  byte_ring ring(4);
  ring.push(counting(3, 0));
  ring.clear();
  EXPECT_EQ(ring.free(), 4u);
  ring.push(counting(4, 20));
  std::vector<std::uint8_t> out(4);
  ring.pop(out);
  EXPECT_EQ(out, counting(4, 20));
}

}  // namespace
}  // namespace spence::net
