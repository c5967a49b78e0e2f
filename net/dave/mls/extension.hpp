#pragma once
// An MLS extension (RFC 9420 13): a type and opaque data, kept as read so a structure carrying
// extensions spence does not know (GREASE, another implementation's) writes back unchanged and its
// signature still verifies.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <vector>

namespace spence::net::dave::mls {

struct extension {
  std::uint16_t extension_type = 0;
  bytes extension_data;

  static mls_result<extension> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const extension&, const extension&) = default;
};

using extension_list = std::vector<extension>;

}  // namespace spence::net::dave::mls
