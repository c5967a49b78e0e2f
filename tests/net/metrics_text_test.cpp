#include "net/lavalink/metrics_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace spence::net::lavalink {
namespace {

TEST(metrics_text, WritesFamiliesAsPrometheusReadsThem) {
  metrics_text out;
  out.family("spence_players", "gauge", "Players");
  out.sample(3);
  out.family("spence_actor_messages_processed_total", "counter", "Messages handled");
  out.sample(12345678, {{"kind", "engine.player"}});
  out.sample(0.25, {{"kind", "net.voice"}, {"shard", "1"}});
  EXPECT_EQ(out.text(),
            "# HELP spence_players Players\n# TYPE spence_players gauge\nspence_players 3\n"
            "# HELP spence_actor_messages_processed_total Messages handled\n"
            "# TYPE spence_actor_messages_processed_total counter\n"
            "spence_actor_messages_processed_total{kind=\"engine.player\"} 12345678\n"
            "spence_actor_messages_processed_total{kind=\"net.voice\",shard=\"1\"} 0.25\n");
}

TEST(metrics_text, EscapesLabelValuesAndHelpAndSpellsSpecialValues) {
  metrics_text out;
  out.family("x", "gauge", "a \\ b\nc \"d\"");
  out.sample(std::nan(""), {{"name", "q\"uo\\te\nline"}});
  out.sample(std::numeric_limits<double>::infinity());
  out.sample(-std::numeric_limits<double>::infinity());
  EXPECT_EQ(out.text(),
            "# HELP x a \\\\ b\\nc \"d\"\n# TYPE x gauge\n"
            "x{name=\"q\\\"uo\\\\te\\nline\"} NaN\nx +Inf\nx -Inf\n");
}

TEST(metrics_text, RefusesNamesAScraperWouldRejectAndSamplesWithoutAFamily) {
  metrics_text out;
  EXPECT_THROW(out.sample(1), std::logic_error);
  EXPECT_THROW(out.family("", "gauge", "h"), std::invalid_argument);
  EXPECT_THROW(out.family("1st", "gauge", "h"), std::invalid_argument);
  EXPECT_THROW(out.family("has-dash", "gauge", "h"), std::invalid_argument);
  EXPECT_THROW(out.family("ok", "histogram", "h"), std::invalid_argument) << "only the types written here";
  out.family("ns:ok_1", "counter", "colons are allowed in metric names");
  EXPECT_THROW(out.sample(1, {{"a:b", "v"}}), std::invalid_argument) << "not in label names";
  EXPECT_THROW(out.sample(1, {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(out.sample(1, {{"", "v"}}), std::invalid_argument);
}

}  // namespace
}  // namespace spence::net::lavalink
