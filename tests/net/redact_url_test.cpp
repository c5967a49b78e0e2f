#include "net/http/redact_url.hpp"

#include <gtest/gtest.h>

namespace spence::net {
namespace {

TEST(redact_url, drops_userinfo_query_and_fragment) {
  EXPECT_EQ(redact_url("https://user:pw@cdn.example:8443/a/b.webm?sig=abc&expire=1#t=3"),
            "https://cdn.example:8443/a/b.webm");
  EXPECT_EQ(redact_url("http://host/path"), "http://host/path");
  EXPECT_EQ(redact_url("http://host?token=x"), "http://host");
  EXPECT_EQ(redact_url("http://host#frag"), "http://host");
}

TEST(redact_url, userinfo_ends_at_its_last_at_sign) {
  EXPECT_EQ(redact_url("http://a@b:c@host/x"), "http://host/x");
}

TEST(redact_url, at_signs_and_schemes_after_the_authority_are_path_or_query) {
  EXPECT_EQ(redact_url("http://host/users/@me?next=http://u:p@evil"), "http://host/users/@me");
  EXPECT_EQ(redact_url("/relative?u=http://user:pw@x"), "/relative");
}

TEST(redact_url, strings_that_are_not_urls_still_lose_query_and_credentials) {
  EXPECT_EQ(redact_url(""), "");
  EXPECT_EQ(redact_url("?secret"), "");
  EXPECT_EQ(redact_url("user:pw@host"), "host");
  EXPECT_EQ(redact_url("http://"), "http://");
}

}  // namespace
}  // namespace spence::net
