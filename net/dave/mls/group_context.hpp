#pragma once
// The GroupContext (RFC 9420 8.1): what every member agrees the group is in an epoch. Its encoding
// is the context of TreeKEM's path secret encryption (the provisional one, with the new tree hash),
// of the key schedule and of member signatures.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>

namespace spence::net::dave::mls {

struct group_context {
  std::uint16_t version = protocol_version_mls10;
  std::uint16_t cipher_suite = cipher_suite_dave;
  bytes group_id;  // DAVE: the channel ID as 8 big-endian bytes
  std::uint64_t epoch = 0;
  bytes tree_hash;
  bytes confirmed_transcript_hash;
  extension_list extensions;  // DAVE: the one external_senders extension

  static mls_result<group_context> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const group_context&, const group_context&) = default;
};

}  // namespace spence::net::dave::mls
