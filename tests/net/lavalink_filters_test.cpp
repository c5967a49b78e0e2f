// The filters object in Lavalink's JSON: names, defaults, the equalizer's band list, and the
// engine's validation reaching the client as a message.

#include "net/lavalink/lavalink_filters.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

namespace spence::net::lavalink {
namespace {

namespace json = boost::json;

TEST(lavalink_filters, every_filter_reads_with_its_lavalink_names) {
  auto f = filters_from_json(json::parse(R"({
    "volume": 0.8,
    "equalizer": [{"band": 0, "gain": 0.2}, {"band": 14, "gain": -0.1}, {"band": 3}],
    "karaoke": {"level": 1.0, "monoLevel": 0.5, "filterBand": 220.0, "filterWidth": 100.0},
    "timescale": {"speed": 1.2, "pitch": 0.9, "rate": 1.0},
    "tremolo": {"frequency": 4.0, "depth": 0.6},
    "vibrato": {"frequency": 5.0, "depth": 0.4},
    "rotation": {"rotationHz": 0.2},
    "distortion": {"sinOffset": 0.1, "scale": 0.9},
    "channelMix": {"leftToLeft": 0.5, "leftToRight": 0.5, "rightToLeft": 0.5, "rightToRight": 0.5},
    "lowPass": {"smoothing": 20.0},
    "pluginFilters": {"someplugin": {"x": 1}},
    "unknown": 3})"));
  ASSERT_TRUE(f) << f.error();
  EXPECT_FLOAT_EQ(f->volume->volume, 0.8f);
  EXPECT_FLOAT_EQ(f->equalizer->gains[0], 0.2f);
  EXPECT_FLOAT_EQ(f->equalizer->gains[14], -0.1f);
  EXPECT_FLOAT_EQ(f->equalizer->gains[3], 1.0f);  // a band without a gain: Lavalink's Band default
  EXPECT_FLOAT_EQ(f->karaoke->mono_level, 0.5f);
  EXPECT_FLOAT_EQ(f->timescale->pitch, 0.9f);
  EXPECT_FLOAT_EQ(f->rotation->rotation_hz, 0.2f);
  EXPECT_FLOAT_EQ(f->distortion->sin_offset, 0.1f);
  EXPECT_FLOAT_EQ(f->distortion->cos_scale, 1.0f);  // omitted: default
  EXPECT_FLOAT_EQ(f->channel_mix->right_to_left, 0.5f);
  EXPECT_FLOAT_EQ(f->low_pass->smoothing, 20.0f);
}

TEST(lavalink_filters, null_and_absent_filters_are_off) {
  auto f = filters_from_json(json::parse(R"({"karaoke": null})"));
  ASSERT_TRUE(f);
  EXPECT_FALSE(f->karaoke || f->volume || f->equalizer);
  EXPECT_FALSE(f->any_enabled());
}

TEST(lavalink_filters, what_is_written_reads_back_the_same) {
  auto f = filters_from_json(json::parse(R"({"timescale":{"speed":1.25},"channelMix":{"leftToRight":0.25},"volume":2})"));
  ASSERT_TRUE(f);
  const auto written = filters_to_json(*f);
  EXPECT_TRUE(written.contains("timescale") && written.contains("channelMix") && written.contains("volume"));
  EXPECT_FALSE(written.contains("karaoke"));
  EXPECT_EQ(written.at("timescale").at("pitch").as_double(), 1.0);  // every field written
  auto again = filters_from_json(written);
  ASSERT_TRUE(again);
  EXPECT_EQ(json::serialize(filters_to_json(*again)), json::serialize(written));
}

TEST(lavalink_filters, invalid_values_name_the_filter_and_field) {
  auto bad = [](std::string_view text) {
    auto f = filters_from_json(json::parse(text));
    EXPECT_FALSE(f) << text;
    return f ? std::string() : f.error();
  };
  EXPECT_NE(bad(R"({"timescale":{"speed":-1}})").find("timescale"), std::string::npos);
  EXPECT_NE(bad(R"({"vibrato":{"frequency":20}})").find("vibrato"), std::string::npos);
  EXPECT_NE(bad(R"({"tremolo":{"depth":"x"}})").find("tremolo.depth"), std::string::npos);
  EXPECT_NE(bad(R"({"equalizer":[{"band":-1,"gain":0}]})").find("equalizer band"), std::string::npos);
  // Past int64's range (a uint64 to Boost.JSON): refused, not thrown (found by fuzz_player_update).
  EXPECT_NE(bad(R"({"equalizer":[{"band":14444444444444444441,"gain":1.2}]})").find("between 0 and 14"), std::string::npos);
  EXPECT_NE(bad(R"({"equalizer":[{"band":15,"gain":0}]})").find("between 0 and 14"), std::string::npos);
  EXPECT_NE(bad(R"({"equalizer":{}})").find("equalizer"), std::string::npos);
  EXPECT_NE(bad(R"({"volume":{}})").find("volume"), std::string::npos);
  EXPECT_NE(bad(R"({"karaoke":[]})").find("karaoke"), std::string::npos);
  EXPECT_FALSE(bad("[]").empty());
}

}  // namespace
}  // namespace spence::net::lavalink
