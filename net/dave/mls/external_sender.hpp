#pragma once
// The external sender (RFC 9420 12.1.8.1): a signer outside the group allowed to propose, listed in
// the group context's external_senders extension. In DAVE it is the voice gateway, which announces
// itself in op 25 and signs every Add and Remove; a DAVE group lists exactly this one.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/credential.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <vector>

namespace spence::net::dave::mls {

struct external_sender {
  bytes signature_key;  // ECDSA P-256 public key
  basic_credential credential;

  static mls_result<external_sender> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const external_sender&, const external_sender&) = default;
};

// The external_senders extension (type 5) holding `senders`.
extension external_senders_extension(const std::vector<external_sender>& senders);
// The senders listed in `extensions`' external_senders extension; empty when it has none.
mls_result<std::vector<external_sender>> external_senders_of(const extension_list& extensions);

}  // namespace spence::net::dave::mls
