#pragma once
// A member's leaf in the ratchet tree (RFC 9420 7.2): its HPKE encryption key, signature key,
// credential and capabilities, where it came from (leaf_node_source) with that source's field, and
// its signature over LeafNodeTBS. A leaf made in a group (an update, or a commit's UpdatePath) signs
// the group ID and its leaf index as well, so it cannot be replayed into another group or position;
// a key package's leaf signs neither (its group is not known yet).
//
// Fields are kept as read, so a leaf written back is the bytes that were signed.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/capabilities.hpp"
#include "net/dave/mls/credential.hpp"
#include "net/dave/mls/extension.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"
#include "net/dave/mls/tree_math.hpp"

#include <cstdint>
#include <limits>

namespace spence::net::dave::mls {

enum class leaf_node_source : std::uint8_t { key_package = 1, update = 2, commit = 3 };

// Seconds since the Unix epoch. The default, 0 to 2^64 - 1, is what DAVE's voice gateway requires.
struct lifetime {
  std::uint64_t not_before = 0;
  std::uint64_t not_after = std::numeric_limits<std::uint64_t>::max();
  friend bool operator==(const lifetime&, const lifetime&) = default;
};

// What an update or commit leaf's signature binds besides the leaf; unused for key_package leaves.
struct leaf_node_context {
  bytes_view group_id;
  leaf_index leaf;
};

struct leaf_node {
  bytes encryption_key;  // HPKE public key (65-byte P-256 point)
  bytes signature_key;   // ECDSA public key (65-byte P-256 point)
  basic_credential credential;
  mls::capabilities capabilities;
  leaf_node_source source = leaf_node_source::key_package;
  mls::lifetime lifetime;  // on the wire only for source key_package
  bytes parent_hash;       // on the wire only for source commit
  extension_list extensions;
  bytes signature;

  // LeafNodeTBS: the fields above the signature, then for update and commit leaves the context.
  bytes to_be_signed(const leaf_node_context& context) const;
  mls_result<void> sign(bytes_view signature_private_key, const leaf_node_context& context);
  // The checks RFC 9420 7.3 makes on a leaf by itself: the signature verifies (bad_signature), and
  // the capabilities list the credential type and every non-default extension the leaf carries
  // (invalid_leaf_node). The source, key uniqueness and lifetime are for the caller, which knows
  // where the leaf appeared.
  mls_result<void> validate(const leaf_node_context& context) const;

  static mls_result<leaf_node> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const leaf_node&, const leaf_node&) = default;

 private:
  void write_content(tls_writer& out) const;
};

}  // namespace spence::net::dave::mls
