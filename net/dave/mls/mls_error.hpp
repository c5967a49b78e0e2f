#pragma once
// Why MLS bytes could not be read or written, or why a cipher suite operation refused its input: a
// code (its own category, so callers can count by reason) and the field it concerns
// ("key_package.init_key", "signature"). DAVE answers a bad commit or welcome from the voice
// gateway by reporting it (op 31), so nothing here throws on bad input; the field makes the log
// line say where the bytes went wrong.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace spence::net::dave::mls {

enum class mls_errc {
  truncated = 1,          // the bytes end inside a field
  bad_varint,             // a <V> length with the reserved 0b11 prefix
  non_minimal_varint,     // a <V> length in more bytes than its value needs (RFC 9420 2.1.2)
  length_too_large,       // a vector longer than a <V> length can say (2^30 - 1 bytes)
  bad_optional,           // an optional<T> presence byte other than 0 or 1
  trailing_bytes,         // bytes after the structure
  bad_public_key,         // not an uncompressed P-256 point on the curve
  bad_private_key,        // not a 32-byte scalar in [1, n-1]
  bad_length,             // a key, nonce or output length the primitive does not take
  decrypt_failed,         // AEAD authentication failed (wrong key, nonce, aad or tampered bytes)
  derive_key_pair_failed, // DeriveKeyPair found no scalar in 256 candidates (RFC 9180 7.1.3)
  crypto_failure,         // OpenSSL refused an operation on valid input (out of memory, broken provider)
  unknown_value,          // an enumerated field holds a value MLS does not define (leaf_node_source, node_type)
  unsupported,            // a value MLS defines that DAVE does not use (x509 credentials, other cipher suites)
  bad_signature,          // a signature that does not verify under the key it names
  bad_parent_hash,        // a parent hash that does not chain (RFC 9420 7.9.2)
  invalid_tree,           // a ratchet tree breaking its rules: blank last node, misplaced node, bad unmerged leaves
  invalid_leaf_node,      // a leaf node failing validation (RFC 9420 7.3): source, capabilities, duplicate keys
  invalid_key_package,    // a key package failing validation (RFC 9420 10.1)
  invalid_update_path,    // an UpdatePath that does not fit the tree or whose keys do not match its secrets
  wrong_group,            // a message for another group ID
  wrong_epoch,            // a message for an epoch other than the group's current one
  bad_tag,                // a membership or confirmation tag that does not match (RFC 9420 6.2, 6.1)
  unknown_proposal,       // a commit naming a ProposalRef the member never received (or saw revoked)
  invalid_proposal,       // a proposal that cannot apply: removing a blank leaf or oneself, a duplicate
  invalid_commit,         // a commit breaking RFC 9420 12.4: a path missing where required, a sender not a member
  not_for_member,         // a Welcome with no entry for this member's KeyPackageRef
  invalid_welcome,        // a Welcome whose GroupInfo does not fit: no ratchet tree, tree hash or confirmation tag wrong
};

const boost::system::error_category& mls_category() noexcept;

inline boost::system::error_code make_error_code(mls_errc e) noexcept { return {static_cast<int>(e), mls_category()}; }

struct mls_error {
  boost::system::error_code code;
  std::string field;  // "leaf_node.signature_key"; empty when the input as a whole is wrong

  // "truncated MLS structure (at key_package.init_key)".
  std::string message() const;
  friend bool operator==(const mls_error&, const mls_error&) = default;
};

inline mls_error make_mls_error(mls_errc code, std::string field = {}) { return {make_error_code(code), std::move(field)}; }

// What boost::system::result<T, mls_error>::value() throws: a system_error with the message.
[[noreturn]] void throw_exception_from_error(const mls_error& e, const boost::source_location& where);

template <typename T>
using mls_result = boost::system::result<T, mls_error>;

}  // namespace spence::net::dave::mls

template <>
struct boost::system::is_error_code_enum<spence::net::dave::mls::mls_errc> : std::true_type {};
