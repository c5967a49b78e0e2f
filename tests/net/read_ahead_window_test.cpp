#include "net/http/read_ahead_window.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace spence::net {
namespace {

using engine::media_errc;
using engine::media_error;
using push_result = read_ahead_window::push_result;

std::vector<std::uint8_t> filled(std::size_t n, std::uint8_t value) { return std::vector<std::uint8_t>(n, value); }

TEST(read_ahead_window, takes_writes_whole_or_pauses_until_the_reader_made_room) {
  read_ahead_window window(10);
  EXPECT_EQ(window.push(0, filled(6, 1)), push_result::accepted);
  EXPECT_EQ(window.push(0, filled(6, 2)), push_result::full);  // never a part of a write
  EXPECT_EQ(window.available(), 6u);
  EXPECT_FALSE(window.take_unpause_request());  // 4 free, the paused write needs 6

  std::vector<std::uint8_t> out(2);
  EXPECT_EQ(window.read(out), 2u);
  EXPECT_EQ(window.take_unpause_request(), 0u);  // 6 free now
  EXPECT_FALSE(window.take_unpause_request());   // asked once per pause
  EXPECT_EQ(window.push(0, filled(6, 2)), push_result::accepted);
  EXPECT_EQ(window.available(), 10u);
  EXPECT_EQ(window.position(), 2u);
}

TEST(read_ahead_window, a_restart_empties_it_and_voids_the_old_generation) {
  read_ahead_window window(16);
  window.describe(0, 100, true);
  window.push(0, filled(4, 1));
  const auto generation = window.restart_at(50);
  EXPECT_EQ(generation, 1u);
  EXPECT_EQ(window.available(), 0u);
  EXPECT_EQ(window.position(), 50u);
  EXPECT_EQ(window.push(0, filled(4, 1)), push_result::stale);
  window.finish(0);  // ignored: would end the new request's stream
  window.fail(0, media_error(media_errc::network, "src", "old"));
  EXPECT_EQ(window.push(1, filled(3, 7)), push_result::accepted);
  std::vector<std::uint8_t> out(8);
  EXPECT_EQ(window.read(out), 3u);
  EXPECT_EQ(out[0], 7);
  EXPECT_EQ(window.size(), 100u);
  EXPECT_TRUE(window.seekable());
}

TEST(read_ahead_window, bytes_received_before_a_failure_are_read_first) {
  read_ahead_window window(16);
  window.push(0, filled(5, 9));
  window.fail(0, media_error(media_errc::network, "src", "connection lost"));
  window.fail(0, media_error(media_errc::timeout, "src", "later"));  // the first failure wins
  std::vector<std::uint8_t> out(16);
  EXPECT_EQ(window.read(out), 5u);
  for (int i = 0; i < 2; ++i) {
    try {
      window.read(out);
      FAIL() << "no failure";
    } catch (const media_error& e) {
      EXPECT_EQ(e.code(), media_errc::network);
      EXPECT_STREQ(e.what(), "src: connection lost");
    }
  }
}

TEST(read_ahead_window, the_end_reads_as_zero_after_the_last_bytes) {
  read_ahead_window window(16);
  window.push(0, filled(2, 1));
  window.finish(0);
  EXPECT_EQ(window.push(0, filled(2, 1)), push_result::stale);
  std::vector<std::uint8_t> out(16);
  EXPECT_EQ(window.read(out), 2u);
  EXPECT_EQ(window.read(out), 0u);
  EXPECT_EQ(window.read(out), 0u);
}

TEST(read_ahead_window, a_blocked_reader_wakes_for_bytes_from_another_thread) {
  read_ahead_window window(16);
  std::thread producer([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    window.describe(0, std::nullopt, false);
    window.push(0, filled(3, 4));
  });
  window.wait_established();
  std::vector<std::uint8_t> out(16);
  EXPECT_EQ(window.read(out), 3u);
  producer.join();
}

TEST(read_ahead_window, waiting_for_the_first_response_throws_its_failure) {
  read_ahead_window window(16);
  window.fail(0, media_error(media_errc::http_status, "src", "HTTP status 404"));
  EXPECT_THROW(window.wait_established(), media_error);
}

TEST(read_ahead_window, skips_forward_only_within_the_buffered_bytes) {
  read_ahead_window window(16);
  window.push(0, std::vector<std::uint8_t>{1, 2, 3, 4, 5});
  EXPECT_FALSE(window.skip_to(6));
  EXPECT_TRUE(window.skip_to(3));
  EXPECT_FALSE(window.skip_to(2));
  std::vector<std::uint8_t> out(16);
  EXPECT_EQ(window.read(out), 2u);
  EXPECT_EQ(out[0], 4);
  EXPECT_TRUE(window.skip_to(5));  // the position itself
}

}  // namespace
}  // namespace spence::net
