// PATCH bodies read with Lavalink's rules: absent versus null, the deprecated fields, its 400
// messages, and what no body may do to the parser.

#include "net/lavalink/player_update.hpp"

#include <gtest/gtest.h>

namespace spence::net::lavalink {
namespace {

using kind = track_change::kind;

player_update parsed(std::string_view body) {
  auto r = parse_player_update(body);
  EXPECT_TRUE(r.has_value()) << body << ": " << (r ? "" : r.error());
  return r ? *r : player_update{};
}

std::string refused(std::string_view body) {
  auto r = parse_player_update(body);
  EXPECT_FALSE(r.has_value()) << body;
  return r ? std::string() : r.error();
}

TEST(player_update, an_empty_object_changes_nothing) {
  auto u = parsed("{}");
  EXPECT_EQ(u.track.what, kind::none);
  EXPECT_FALSE(u.position_ms || u.end_time_ms || u.volume || u.paused || u.filters || u.voice || u.user_data);
}

TEST(player_update, encoded_null_stops_and_absent_leaves_the_track) {
  EXPECT_EQ(parsed(R"({"track":{"encoded":null}})").track.what, kind::stop);
  EXPECT_EQ(parsed(R"({"track":{"userData":{"a":1}}})").track.what, kind::none);
  auto u = parsed(R"({"track":{"encoded":"QAAA","userData":{"a":1}}})");
  EXPECT_EQ(u.track.what, kind::encoded);
  EXPECT_EQ(u.track.value, "QAAA");
  ASSERT_TRUE(u.user_data);
  EXPECT_EQ(u.user_data->at("a").as_int64(), 1);
  auto id = parsed(R"({"track":{"identifier":"https://example.invalid/a.ogg"}})");
  EXPECT_EQ(id.track.what, kind::identifier);
}

TEST(player_update, the_deprecated_fields_are_still_taken) {
  EXPECT_EQ(parsed(R"({"encodedTrack":null})").track.what, kind::stop);
  EXPECT_EQ(parsed(R"({"encodedTrack":"QAAA"})").track.what, kind::encoded);
  EXPECT_EQ(parsed(R"({"identifier":"x"})").track.what, kind::identifier);
}

TEST(player_update, lavalinks_conflicts_are_refused_with_its_messages) {
  EXPECT_EQ(refused(R"({"track":{"encoded":"a"},"encodedTrack":"b"})"), "Cannot specify both track and encodedTrack/identifier");
  EXPECT_EQ(refused(R"({"track":{"encoded":"a","identifier":"b"}})"), "Cannot specify both encodedTrack and identifier");
  EXPECT_EQ(refused(R"({"encodedTrack":"a","identifier":"b"})"), "Cannot specify both encodedTrack and identifier");
  EXPECT_EQ(refused(R"({"endTime":0})"), "End time must be greater than 0");
  EXPECT_EQ(refused(R"({"voice":{"token":"t","endpoint":"e","sessionId":"s"}})"),
            "token, endpoint, sessionId and channelId must be provided in voice state");
  EXPECT_EQ(refused(R"({"voice":{"token":" ","endpoint":"e","sessionId":"s","channelId":"c"}})"),
            "token, endpoint, sessionId and channelId must be provided in voice state");
}

TEST(player_update, end_time_null_differs_from_absent) {
  EXPECT_FALSE(parsed("{}").end_time_ms.has_value());
  auto cleared = parsed(R"({"endTime":null})");
  ASSERT_TRUE(cleared.end_time_ms.has_value());
  EXPECT_FALSE(cleared.end_time_ms->has_value());
  EXPECT_EQ(parsed(R"({"endTime":5000})").end_time_ms->value(), 5000);
}

TEST(player_update, volume_is_clamped_as_lavaplayer_clamps_it) {
  EXPECT_EQ(*parsed(R"({"volume":1500})").volume, 1000);
  EXPECT_EQ(*parsed(R"({"volume":-5})").volume, 0);
  EXPECT_EQ(*parsed(R"({"volume":70})").volume, 70);
}

TEST(player_update, voice_and_filters_are_read) {
  auto u = parsed(R"({"voice":{"token":"t","endpoint":"e:443","sessionId":"s","channelId":"c"},
                      "filters":{"timescale":{"speed":1.5},"volume":0.5},"paused":true,"position":1200})");
  ASSERT_TRUE(u.voice);
  EXPECT_EQ(u.voice->endpoint, "e:443");
  EXPECT_EQ(u.voice->channel_id, "c");
  ASSERT_TRUE(u.filters && u.filters->timescale && u.filters->volume);
  EXPECT_FLOAT_EQ(u.filters->timescale->speed, 1.5f);
  EXPECT_FLOAT_EQ(u.filters->timescale->pitch, 1.0f);  // Lavalink's default for an omitted field
  EXPECT_TRUE(*u.paused);
  EXPECT_EQ(*u.position_ms, 1200);
}

TEST(player_update, malformed_bodies_are_refused_with_a_reason) {
  for (std::string_view body : {"", "[", "[]", "3", "null", R"({"track":3})", R"({"track":{"encoded":3}})",
                                R"({"position":"x"})", R"({"position":-1})", R"({"position":1.5})",
                                R"({"volume":true})", R"({"paused":1})", R"({"filters":[]})",
                                R"({"filters":{"timescale":{"speed":-1}}})", R"({"filters":{"equalizer":[{"band":15,"gain":0.1}]}})",
                                R"({"voice":"x"})", R"({"voice":{"token":1,"endpoint":"e","sessionId":"s","channelId":"c"}})",
                                R"({"endTime":"x"})", R"({"position":18446744073709551615})"})
    EXPECT_FALSE(refused(body).empty()) << body;
}

}  // namespace
}  // namespace spence::net::lavalink
