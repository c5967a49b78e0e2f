#pragma once
// GroupInfo (RFC 9420 12.4.3): the new epoch's GroupContext, signed by the committer, that a
// Welcome carries to the members it adds. DAVE's committers put the ratchet tree in its
// extensions (the ratchet_tree extension: joiners have no other way to get it); its confirmation
// tag lets a joiner check it derived the same epoch secrets as the members.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/group_context.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>

namespace spence::net::dave::mls {

struct group_info {
  mls::group_context group_context;
  extension_list extensions;
  bytes confirmation_tag;
  std::uint32_t signer = 0;  // the committer's leaf index
  bytes signature;

  // GroupInfoTBS: every field but the signature.
  bytes to_be_signed() const;
  mls_result<void> sign(bytes_view signature_private_key);
  // bad_signature when the signature does not verify under the signer's key.
  mls_result<void> verify(bytes_view signer_public_key) const;

  static mls_result<group_info> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const group_info&, const group_info&) = default;

 private:
  void write_content(tls_writer& out) const;
};

}  // namespace spence::net::dave::mls
