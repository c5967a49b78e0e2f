#pragma once
// A KeyPackage (RFC 9420 10): what a client publishes so a group can add it. DAVE sends one to the
// voice gateway (op 26) each time it joins or resets, never reusing one, and meets others' inside
// the Add proposals the gateway relays. Its ref (KeyPackageRef) names the new member in a Welcome.
//
// A DAVE key package: version mls10, cipher suite 2, a fresh HPKE init key, and a leaf with a
// second fresh HPKE key, a fresh signature key, the basic credential holding the user ID, DAVE's
// exact capabilities, lifetime 0 to 2^64 - 1, and no extensions anywhere.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>

namespace spence::net::dave::mls {

struct key_package {
  std::uint16_t version = protocol_version_mls10;
  std::uint16_t cipher_suite = cipher_suite_dave;
  bytes init_key;
  mls::leaf_node leaf_node;
  extension_list extensions;
  bytes signature;

  // KeyPackageTBS: every field but the signature.
  bytes to_be_signed() const;
  // RFC 9420 10.1 for a group in DAVE's suite: version mls10 and suite 2 (unsupported otherwise),
  // a key_package leaf valid by itself (leaf_node::validate), P-256 init and encryption keys that
  // differ, and the package's signature under the leaf's signature key. The lifetime is not
  // checked: DAVE's are 0 to 2^64 - 1, and for received leaves the check is only recommended.
  mls_result<void> validate() const;
  // KeyPackageRef: RefHash("MLS 1.0 KeyPackage Reference", the encoded package).
  bytes ref() const;

  static mls_result<key_package> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const key_package&, const key_package&) = default;

 private:
  void write_content(tls_writer& out) const;
};

// The private halves of a new key package's keys, wiped when destroyed (so move-only).
struct key_package_private_keys {
  bytes init_key;        // opens the Welcome's group secrets
  bytes encryption_key;  // the leaf's HPKE key: opens path secrets sent to this leaf
  bytes signature_key;   // signs as this member in the group

  key_package_private_keys() = default;
  key_package_private_keys(key_package_private_keys&&) = default;
  key_package_private_keys& operator=(key_package_private_keys&&) = delete;
  key_package_private_keys(const key_package_private_keys&) = delete;
  key_package_private_keys& operator=(const key_package_private_keys&) = delete;
  ~key_package_private_keys();
};

struct created_key_package {
  key_package package;
  key_package_private_keys private_keys;
};

// A new, signed DAVE key package for the user, with three fresh key pairs.
mls_result<created_key_package> create_key_package(std::uint64_t user_id);

}  // namespace spence::net::dave::mls
