#pragma once
// A member's credential (RFC 9420 5.3). DAVE uses only the basic credential (type 1), whose
// identity is the member's Discord user ID as 8 big-endian bytes; reading any other credential type
// (x509 or one MLS does not define) is `unsupported`, so the rest of the group code never meets one.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <optional>

namespace spence::net::dave::mls {

struct basic_credential {
  bytes identity;

  // DAVE's credential for a user: the snowflake as 8 big-endian bytes.
  static basic_credential for_user(std::uint64_t user_id);
  // The user ID DAVE puts in the identity; nullopt unless it is exactly 8 bytes.
  std::optional<std::uint64_t> user_id() const;

  static mls_result<basic_credential> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const basic_credential&, const basic_credential&) = default;
};

}  // namespace spence::net::dave::mls
