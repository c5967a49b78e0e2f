// Java's modified UTF-8 against the bytes Java's DataOutput.writeUTF writes (the JDK documents the
// format: U+0000 as C0 80, supplementary characters as two 3-byte surrogates), both directions,
// and every kind of malformed input refused on either side.

#include "net/lavalink/modified_utf8.hpp"

#include "net/lavalink/track_codec_error.hpp"

#include <gtest/gtest.h>

namespace spence::net::lavalink {
namespace {

using bytes = std::vector<std::uint8_t>;

bytes encoded(std::string_view utf8) {
  bytes out;
  EXPECT_TRUE(append_modified_utf8(utf8, out)) << utf8;
  return out;
}

struct known_case {
  std::string_view utf8;
  bytes java;  // what writeUTF writes after its length
};

const std::vector<known_case> known_cases{
    {"", {}},
    {"abc", {'a', 'b', 'c'}},
    {std::string_view("a\0b", 3), {'a', 0xC0, 0x80, 'b'}},        // U+0000: never a zero byte
    {"\x7F", {0x7F}},                                             // the last one-byte unit
    {"\xC2\x80", {0xC2, 0x80}},                                   // U+0080
    {"Opci\xC3\xB3n", {'O', 'p', 'c', 'i', 0xC3, 0xB3, 'n'}},      // as UTF-8 below U+0800
    {"\xDF\xBF", {0xDF, 0xBF}},                                   // U+07FF
    {"\xE0\xA0\x80", {0xE0, 0xA0, 0x80}},                         // U+0800
    {"\xE2\x80\x99", {0xE2, 0x80, 0x99}},                         // U+2019, as in "That's"
    {"\xEF\xBF\xBF", {0xEF, 0xBF, 0xBF}},                         // U+FFFF
    {"\xF0\x9F\x8C\xBF", {0xED, 0xA0, 0xBC, 0xED, 0xBC, 0xBF}},   // U+1F33F: surrogates D83C DF3F
    {"\xF0\x90\x80\x80", {0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80}},   // U+10000, the first pair
    {"\xF4\x8F\xBF\xBF", {0xED, 0xAF, 0xBF, 0xED, 0xBF, 0xBF}},   // U+10FFFF, the last
};

TEST(modified_utf8, WritesWhatJavaWrites) {
  for (const auto& c : known_cases) EXPECT_EQ(encoded(c.utf8), c.java) << c.utf8;
}

TEST(modified_utf8, ReadsWhatJavaWrites) {
  for (const auto& c : known_cases) {
    const auto read = modified_utf8_to_utf8(c.java);
    ASSERT_TRUE(read) << c.utf8;
    EXPECT_EQ(*read, c.utf8);
  }
}

TEST(modified_utf8, AppendsAfterWhatIsThere) {
  bytes out{0x01};
  ASSERT_TRUE(append_modified_utf8("x", out));
  EXPECT_EQ(out, (bytes{0x01, 'x'}));
}

TEST(modified_utf8, ReadsTheLenientFormsJavaReads) {
  // readUTF takes a raw zero byte and overlong forms; they read as the character they spell.
  EXPECT_EQ(modified_utf8_to_utf8(bytes{'a', 0x00}).value(), std::string("a\0", 2));
  EXPECT_EQ(modified_utf8_to_utf8(bytes{0xC1, 0x81}).value(), "A");
  EXPECT_EQ(modified_utf8_to_utf8(bytes{0xE0, 0x81, 0x81}).value(), "A");
}

TEST(modified_utf8, RefusesInvalidUtf8ToWriteAndAppendsNothing) {
  for (const std::string_view bad : {
           std::string_view("\x80"),               // a continuation first
           std::string_view("\xC3"),               // cut
           std::string_view("\xE2\x80"),           // cut
           std::string_view("\xC0\x80"),           // overlong (modified UTF-8 is not UTF-8)
           std::string_view("\xE0\x80\x80"),       // overlong
           std::string_view("\xF0\x80\x80\x80"),   // overlong
           std::string_view("\xED\xA0\x80"),       // a surrogate written as UTF-8
           std::string_view("\xF4\x90\x80\x80"),   // past U+10FFFF
           std::string_view("\xF8\x88\x80\x80\x80"),  // 5-byte form
           std::string_view("\xFF"),
           std::string_view("ok\xC3("),           // a bad continuation after good text
       }) {
    bytes out{0x42};
    const auto written = append_modified_utf8(bad, out);
    ASSERT_FALSE(written) << bad;
    EXPECT_EQ(written.error(), track_codec_errc::bad_utf8);
    EXPECT_EQ(out, bytes{0x42}) << bad;
  }
}

TEST(modified_utf8, RefusesWhatJavaRefusesAndUnpairedSurrogates) {
  for (const bytes& bad : {
           bytes{0x80},                          // a continuation first
           bytes{0xC3},                          // cut
           bytes{0xE2, 0x80},                    // cut
           bytes{0xC3, 0x41},                    // not a continuation
           bytes{0xE2, 0x80, 0x41},              //
           bytes{0xF0, 0x9F, 0x8C, 0xBF},        // standard UTF-8's 4-byte form: readUTF refuses it too
           bytes{0xFF},                          //
           bytes{0xED, 0xA0, 0xBC},              // a high surrogate at the end
           bytes{0xED, 0xA0, 0xBC, 'x'},         // a high surrogate before something else
           bytes{0xED, 0xA0, 0xBC, 0xED, 0xA0, 0xBC},  // two high surrogates
           bytes{0xED, 0xBC, 0xBF},              // a low surrogate alone
       }) {
    const auto read = modified_utf8_to_utf8(bad);
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error(), track_codec_errc::bad_utf8);
  }
}

}  // namespace
}  // namespace spence::net::lavalink
