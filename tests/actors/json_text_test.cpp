// The trace's JSON text: what append_as_json writes directly must read back as exactly the value
// Boost.JSON's value_from gives, for every kind of member a message may have.

#include "actors/json_text.hpp"
#include "actors/message.hpp"

#include <boost/describe/class.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/value_from.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace spence::actors {
namespace {

struct inner {
  std::int32_t level = -7;
  std::string label = "tab\there \"quoted\" back\\slash \x01 ünï";
};
BOOST_DESCRIBE_STRUCT(inner, (), (level, label))

struct every_kind {
  std::uint16_t port = 50000;
  bool flag = true;
  std::int64_t most_negative = std::numeric_limits<std::int64_t>::min();
  std::uint64_t largest = std::numeric_limits<std::uint64_t>::max();
  double ratio = 0.1;
  std::string empty;
  inner nested;
  std::vector<inner> list{inner{}, inner{3, ""}};
  secret<std::string> token{"never-written"};
};
BOOST_DESCRIBE_STRUCT(every_kind, (), (port, flag, most_negative, largest, ratio, empty, nested, list, token))

std::string as_json(const auto& v) {
  std::string out;
  append_as_json(out, v);
  return out;
}

TEST(json_text, direct_text_reads_back_as_value_from) {
  every_kind v;
  auto text = as_json(v);
  EXPECT_EQ(boost::json::parse(text), boost::json::value_from(v)) << text;
  EXPECT_EQ(text.find("never-written"), std::string::npos);
  EXPECT_NE(text.find("<redacted>"), std::string::npos);
}

TEST(json_text, members_keep_their_declared_order) {
  EXPECT_EQ(as_json(inner{5, "x"}), R"({"level":5,"label":"x"})");
}

TEST(json_text, strings_escape_what_json_requires) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\nd\x1f" "e\x7f", 10));
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\u001fe\x7f\"");
  EXPECT_EQ(boost::json::parse(out).as_string(), std::string("a\"b\\c\nd\x1f" "e\x7f", 10));
}

}  // namespace
}  // namespace spence::actors
