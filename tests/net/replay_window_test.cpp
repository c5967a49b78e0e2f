// The receive path's replay window: new packets pass once, in or out of order within 64;
// repeats and packets older than the window do not; sequence numbers wrap.

#include "net/voice/replay_window.hpp"

#include <gtest/gtest.h>

namespace spence::net {
namespace {

TEST(replay_window, EachPacketPassesOnce) {
  replay_window w;
  EXPECT_TRUE(w.accept(100));
  EXPECT_TRUE(w.accept(101));
  EXPECT_FALSE(w.accept(101));
  EXPECT_FALSE(w.accept(100));
}

TEST(replay_window, ReorderedPacketsWithinTheWindowPassOnce) {
  replay_window w;
  EXPECT_TRUE(w.accept(10));
  EXPECT_TRUE(w.accept(14));
  EXPECT_TRUE(w.accept(12));
  EXPECT_FALSE(w.accept(12));
  EXPECT_TRUE(w.accept(11));
  EXPECT_TRUE(w.accept(13));
  EXPECT_FALSE(w.accept(13));
}

TEST(replay_window, PacketsOlderThanTheWindowAreRefused) {
  replay_window w;
  EXPECT_TRUE(w.accept(1000));
  EXPECT_TRUE(w.accept(1000 + replay_window::size));
  EXPECT_FALSE(w.accept(1000));  // 64 behind: out of the window
  EXPECT_TRUE(w.accept(1001));   // 63 behind, never seen
}

TEST(replay_window, SequenceNumbersWrap) {
  replay_window w;
  EXPECT_TRUE(w.accept(65534));
  EXPECT_TRUE(w.accept(65535));
  EXPECT_TRUE(w.accept(0));
  EXPECT_TRUE(w.accept(1));
  EXPECT_FALSE(w.accept(65535));
  EXPECT_FALSE(w.accept(0));
}

TEST(replay_window, AJumpForwardForgetsTheOldWindow) {
  replay_window w;
  EXPECT_TRUE(w.accept(5));
  EXPECT_TRUE(w.accept(5 + 1000));
  EXPECT_FALSE(w.accept(5 + 1000));
  EXPECT_TRUE(w.accept(5 + 999));
}

}  // namespace
}  // namespace spence::net
