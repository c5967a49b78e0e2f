#include "net/http/http_response_head.hpp"

#include "engine/media_error.hpp"

#include <gtest/gtest.h>

namespace spence::net {
namespace {

using engine::media_errc;

TEST(content_length, digits_with_surrounding_whitespace) {
  EXPECT_EQ(parse_content_length("0").value(), 0u);
  EXPECT_EQ(parse_content_length(" \t12345 ").value(), 12345u);
  EXPECT_EQ(parse_content_length("18446744073709551615").value(), 18446744073709551615ull);
}

TEST(content_length, rejects_empty_signs_lists_and_overflow) {
  for (const char* bad : {"", " ", "-1", "+1", "1 2", "12a", "0x10", "42, 42", "18446744073709551616",
                          "99999999999999999999999"}) {
    const auto length = parse_content_length(bad);
    ASSERT_FALSE(length) << bad;
    EXPECT_EQ(length.error(), make_error_code(media_errc::malformed)) << bad;
  }
}

TEST(content_range, satisfied_ranges_with_known_or_unknown_length) {
  EXPECT_EQ(parse_content_range("bytes 0-99/100").value(), (content_range{0, 99, 100}));
  EXPECT_EQ(parse_content_range("BYTES 5-5/*").value(), (content_range{5, 5, std::nullopt}));
  EXPECT_EQ(parse_content_range("  bytes 100-199/1000 ").value(), (content_range{100, 199, 1000}));
}

TEST(content_range, rejects_what_breaks_the_grammar_or_contradicts_itself) {
  for (const char* bad : {"", "bytes", "bytes ", "items 0-1/2", "bytes 0-99", "bytes 0/100", "bytes -99/100",
                          "bytes 0-/100", "bytes 10-9/100", "bytes 0-99/99", "bytes 0-99/50", "bytes */100",
                          "bytes 0-99/", "bytes 0-99/1x", "bytes 1-2-3/10", "bytes 0-18446744073709551616/*",
                          "bytes 0-9/10/11"}) {
    const auto range = parse_content_range(bad);
    ASSERT_FALSE(range) << bad;
    EXPECT_EQ(range.error(), make_error_code(media_errc::malformed)) << bad;
  }
}

TEST(accept_ranges, finds_bytes_in_a_list_case_insensitively) {
  EXPECT_TRUE(names_byte_ranges("bytes"));
  EXPECT_TRUE(names_byte_ranges(" Bytes "));
  EXPECT_TRUE(names_byte_ranges("other, bytes"));
  EXPECT_FALSE(names_byte_ranges("none"));
  EXPECT_FALSE(names_byte_ranges(""));
  EXPECT_FALSE(names_byte_ranges("bytesx"));
  EXPECT_FALSE(names_byte_ranges(","));
}

TEST(http_response_head, reads_the_headers_it_acts_on_in_any_case) {
  http_response_head head;
  head.add_line("HTTP/1.1 206 Partial Content\r\n");
  head.add_line("content-length: 50\r\n");
  head.add_line("CONTENT-RANGE: bytes 50-99/100\r\n");
  head.add_line("Accept-Ranges: bytes\r\n");
  head.add_line("X-Other: 1\r\n");
  head.add_line("\r\n");
  EXPECT_EQ(head.content_length(), 50u);
  EXPECT_EQ(head.range(), (content_range{50, 99, 100}));
  EXPECT_TRUE(head.accepts_byte_ranges());
  EXPECT_TRUE(head.malformed_header().empty());
}

TEST(http_response_head, a_status_line_starts_over_so_only_the_last_response_counts) {
  http_response_head head;
  head.add_line("HTTP/1.1 302 Found\r\n");
  head.add_line("Content-Length: 0\r\n");
  head.add_line("Accept-Ranges: bytes\r\n");
  head.add_line("Content-Range: garbage\r\n");
  head.add_line("HTTP/2 200\r\n");
  head.add_line("content-length: 7\n");
  EXPECT_EQ(head.content_length(), 7u);
  EXPECT_FALSE(head.accepts_byte_ranges());
  EXPECT_TRUE(head.malformed_header().empty());
}

TEST(http_response_head, malformed_or_conflicting_values_are_reported_not_guessed) {
  http_response_head bad_length;
  bad_length.add_line("Content-Length: 12abc\r\n");
  EXPECT_EQ(bad_length.malformed_header(), "Content-Length");
  EXPECT_FALSE(bad_length.content_length());

  http_response_head conflicting;
  conflicting.add_line("Content-Length: 10\r\n");
  conflicting.add_line("Content-Length: 10\r\n");
  EXPECT_TRUE(conflicting.malformed_header().empty());
  conflicting.add_line("Content-Length: 11\r\n");
  EXPECT_EQ(conflicting.malformed_header(), "Content-Length");

  http_response_head bad_range;
  bad_range.add_line("Content-Range: bytes 9-1/10\r\n");
  bad_range.add_line("Content-Length: x\r\n");
  EXPECT_EQ(bad_range.malformed_header(), "Content-Range");  // the first one named
}

TEST(http_response_head, lines_without_a_field_are_ignored) {
  http_response_head head;
  head.add_line("");
  head.add_line("\r\n");
  head.add_line("no colon here\r\n");
  head.add_line(" folded: continuation\r\n");
  EXPECT_FALSE(head.content_length());
  EXPECT_TRUE(head.malformed_header().empty());
}

}  // namespace
}  // namespace spence::net
