#pragma once
// What a member's client supports (RFC 9420 7.2), in its leaf node. DAVE fixes the list exactly:
// versions [1], cipher suites [2], no extensions, no proposals, credentials [basic], and no GREASE
// values (the voice gateway checks the key package; libdave builds mlspp with GREASE off). Values
// read from others' leaves are kept as sent, unknown ones included, so their signatures verify.

#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <vector>

namespace spence::net::dave::mls {

struct capabilities {
  std::vector<std::uint16_t> versions;
  std::vector<std::uint16_t> cipher_suites;
  std::vector<std::uint16_t> extensions;
  std::vector<std::uint16_t> proposals;
  std::vector<std::uint16_t> credentials;

  // DAVE protocol version 1's: [1], [2], [], [], [1].
  static capabilities dave();

  static mls_result<capabilities> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const capabilities&, const capabilities&) = default;
};

}  // namespace spence::net::dave::mls
