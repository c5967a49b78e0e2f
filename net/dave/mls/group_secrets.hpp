#pragma once
// GroupSecrets (RFC 9420 12.4.3.1): what a Welcome gives one new member, HPKE-encrypted to its key
// package's init key: the joiner_secret that starts the new epoch's key schedule, and the path
// secret of the lowest node it shares with the committer when the commit had an UpdatePath. The
// PSK list is kept as read (its encoding) so a message written back is what was signed; DAVE
// uses no PSKs, and a Welcome naming some is refused when opened.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <optional>

namespace spence::net::dave::mls {

struct group_secrets {
  bytes joiner_secret;
  std::optional<bytes> path_secret;
  bytes psks;  // the PreSharedKeyID psks<V> vector's contents; empty in DAVE

  static mls_result<group_secrets> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const group_secrets&, const group_secrets&) = default;
};

// One new member's entry in a Welcome: its KeyPackageRef and its encrypted GroupSecrets.
struct encrypted_group_secrets {
  bytes new_member;
  hpke_ciphertext encrypted_secrets;

  static mls_result<encrypted_group_secrets> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const encrypted_group_secrets&, const encrypted_group_secrets&) = default;
};

}  // namespace spence::net::dave::mls
