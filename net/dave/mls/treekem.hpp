#pragma once
// TreeKEM (RFC 9420 7.4-7.6): how a commit refreshes the committer's path through the ratchet
// tree and shares the new secrets with exactly the members below each node.
//
// The committer draws a leaf secret; from it come its new leaf key pair and a chain of path
// secrets, one per node of its filtered direct path, each node's key pair derived from its path
// secret. Each path secret is HPKE-encrypted ("UpdatePathNode", with the provisional GroupContext
// as context) to every node of the resolution of that node's copath child, less the members the
// same commit adds (they get their path secret in the Welcome). A receiver merges the public keys,
// checks the committer's leaf and parent hashes, decrypts the one path secret meant for a node it
// holds, derives the rest and checks they give the public keys sent. Both end with the commit
// secret, the path secret one past the root, which enters the key schedule.
//
// Both work on copies and replace the caller's tree and private state only on success, so a
// refused commit leaves the group as it was.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/group_context.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/ratchet_tree.hpp"
#include "net/dave/mls/tree_math.hpp"
#include "net/dave/mls/tree_private_state.hpp"
#include "net/dave/mls/update_path.hpp"

#include <span>
#include <utility>
#include <vector>

namespace spence::net::dave::mls {

// A commit's path secrets and commit secret, wiped when destroyed (so move-only).
struct path_secrets {
  // Each node of the committer's filtered direct path with its path secret: the Welcome gives a
  // joiner the one at its lowest common ancestor with the committer.
  std::vector<std::pair<node_index, bytes>> by_node;
  bytes commit_secret;

  path_secrets() = default;
  path_secrets(path_secrets&&) = default;
  path_secrets& operator=(path_secrets&&) = delete;
  path_secrets(const path_secrets&) = delete;
  path_secrets& operator=(const path_secrets&) = delete;
  ~path_secrets();
};

struct created_update_path {
  update_path path;
  group_context provisional_context;  // the one given, with the new tree hash
  path_secrets secrets;
};

// Refreshes `own`'s path in `tree` (the tree after the commit's proposals) and encrypts the path
// secrets. `provisional` is the new epoch's GroupContext but for its tree hash, which this fills
// in; its group ID signs the new leaf with the leaf index. `joiners` are the leaves the commit adds.
// On success `tree` has the merged path and new leaf, and `own` the new private keys.
mls_result<created_update_path> create_update_path(ratchet_tree& tree, tree_private_state& own,
                                                   bytes_view signature_private_key, group_context provisional,
                                                   std::span<const leaf_index> joiners);

struct applied_update_path {
  group_context provisional_context;  // the one given, with the new tree hash
  path_secrets secrets;               // by_node holds the one path secret decrypted
};

// Applies the UpdatePath `sender` committed to `tree` (after the commit's proposals) for the member
// `own`, who is not among `joiners`. Refuses a leaf that is not a valid commit leaf of the sender
// (signature with group ID and index, new encryption key), keys already in the tree, a parent hash
// that does not chain, a ciphertext count that is not the resolution's, and public keys the path
// secrets do not give.
mls_result<applied_update_path> apply_update_path(ratchet_tree& tree, tree_private_state& own, leaf_index sender,
                                                  const update_path& path, group_context provisional,
                                                  std::span<const leaf_index> joiners);

}  // namespace spence::net::dave::mls
