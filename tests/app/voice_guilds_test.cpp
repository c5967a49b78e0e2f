// The process-wide guild wiring: each guild gets one sink of its own, created on first use, whose
// queue for a busy socket has the configured size (buffers.udp_queue_packets).

#include "app/voice_guilds.hpp"

#include <gtest/gtest.h>

namespace spence::app {
namespace {

TEST(voice_guilds, EachGuildHasOneSinkWithTheConfiguredQueue) {
  voice_guilds_options options;
  options.threads = 1;
  options.udp_queue_packets = 7;
  voice_guilds guilds(std::move(options));
  const auto first = guilds.sink("1");
  EXPECT_EQ(guilds.sink("1"), first);
  EXPECT_NE(guilds.sink("2"), first);
  EXPECT_EQ(first->stats().at("queue_capacity").to_number<std::size_t>(), 7u);
  guilds.shutdown();
}

TEST(voice_guilds, TheQueueDefaultsToOneSecondOfPackets) {
  voice_guilds_options options;
  options.threads = 1;
  voice_guilds guilds(std::move(options));
  EXPECT_EQ(guilds.sink("1")->stats().at("queue_capacity").to_number<std::size_t>(), engine::packet_queue::max_capacity);
}

}  // namespace
}  // namespace spence::app
