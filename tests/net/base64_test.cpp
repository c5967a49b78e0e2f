// Standard base64 as Lavalink's tracks use it: RFC 4648's test vectors both ways, and the decoder
// taking exactly what java.util.Base64's basic decoder takes (padding optional but complete and
// last; nothing outside the standard alphabet).

#include "net/lavalink/base64.hpp"

#include <gtest/gtest.h>

namespace spence::net::lavalink {
namespace {

std::vector<std::uint8_t> bytes_of(std::string_view text) { return {text.begin(), text.end()}; }

// RFC 4648 section 10.
const std::vector<std::pair<std::string_view, std::string_view>> rfc_vectors{
    {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};

TEST(base64, EncodesRfc4648VectorsWithPadding) {
  for (const auto& [plain, encoded] : rfc_vectors) EXPECT_EQ(base64_encode(bytes_of(plain)), encoded) << plain;
}

TEST(base64, DecodesRfc4648Vectors) {
  for (const auto& [plain, encoded] : rfc_vectors) {
    const auto decoded = base64_decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(*decoded, bytes_of(plain)) << encoded;
  }
}

TEST(base64, EveryByteValueSurvivesARoundTrip) {
  std::vector<std::uint8_t> all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<std::uint8_t>(255 - i);
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const std::span<const std::uint8_t> part(all.data(), n);
    const auto decoded = base64_decode(base64_encode(part));
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(std::equal(decoded->begin(), decoded->end(), part.begin(), part.end())) << n;
  }
}

TEST(base64, AcceptsMissingPaddingAsJavaDoes) {
  EXPECT_EQ(base64_decode("Zg"), bytes_of("f"));
  EXPECT_EQ(base64_decode("Zm8"), bytes_of("fo"));
  EXPECT_EQ(base64_decode("Zm9vYg"), bytes_of("foob"));
}

TEST(base64, IgnoresUnusedLowBitsAsJavaDoes) {
  EXPECT_EQ(base64_decode("Zh=="), bytes_of("f"));  // 'h' leaves low bits 0001 that no byte holds
}

TEST(base64, RefusesWhatJavaRefuses) {
  for (const std::string_view bad : {
           "Z",          // one digit holds no byte
           "Zm9vY",      // nor does one after full groups
           "Zg=",        // incomplete padding
           "Zg===",      // too much
           "Z===",       // padding after one digit
           "====",       // padding alone
           "Zg==Zg==",   // padding in the middle
           "Zm9v\n",     // whitespace
           "Zm 9v",      // whitespace inside
           "Zm9-",       // URL-safe alphabet
           "Zm9_",       //
           "Zm9\xC3\xA9",  // non-ASCII
       }) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
}

}  // namespace
}  // namespace spence::net::lavalink
