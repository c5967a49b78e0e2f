#pragma once
// Welcome (RFC 9420 12.4.3.1): how a commit that adds members lets them in. The new epoch's
// GroupInfo is encrypted once under a key from the welcome_secret, and each new member gets its
// GroupSecrets (the joiner_secret, so also the welcome_secret, and maybe a path secret)
// HPKE-encrypted to its key package's init key, found by its KeyPackageRef. DAVE sends it bare
// (no MLSMessage envelope) in ops 28 and 30.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/group_info.hpp"
#include "net/dave/mls/group_secrets.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace spence::net::dave::mls {

struct welcome {
  std::uint16_t cipher_suite = cipher_suite_dave;
  std::vector<encrypted_group_secrets> secrets;
  bytes encrypted_group_info;

  static mls_result<welcome> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const welcome&, const welcome&) = default;
};

// A member a Welcome is for, and the path secret it gets (none for a commit without a path).
struct welcome_joiner {
  const key_package* package = nullptr;
  std::optional<bytes> path_secret;
};

// The Welcome for `joiners` of the epoch whose signed GroupInfo is `info` and whose key schedule
// gave `joiner_secret` and `welcome_secret`.
mls_result<welcome> seal_welcome(const group_info& info, bytes_view joiner_secret, bytes_view welcome_secret,
                                 std::span<const welcome_joiner> joiners);

struct opened_welcome {
  group_secrets secrets;
  group_info info;  // decrypted, its signature not yet checked (the signer's key is in its tree)
};

// The joiner's GroupSecrets and the GroupInfo: not_for_member when no entry names `own`'s ref,
// decrypt_failed for a wrong init key or tampered ciphertext, unsupported for another cipher suite
// or PSKs.
mls_result<opened_welcome> open_welcome(const welcome& message, const key_package& own, bytes_view init_private_key);

}  // namespace spence::net::dave::mls
