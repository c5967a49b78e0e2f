// libFuzzer target for the MLS tree side's structures (net/dave/mls: key_package, ratchet_tree,
// update_path, leaf_node, group_context). The first byte picks the structure; the rest is read as
// it. Beyond "no crash, no read past the input":
// - what reads writes back byte for byte (the encodings are canonical);
// - a key package's validation and ref, a tree's hashes, resolutions, filtered direct paths and
//   validation run on whatever was read, however hostile;
// - a tree read, then given an add and a remove, writes and reads back to the same tree.

#include "net/dave/mls/group_context.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/ratchet_tree.hpp"
#include "net/dave/mls/structure_codec.hpp"
#include "net/dave/mls/update_path.hpp"
#include "tests/fuzz/mls_read_back.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace {

using namespace spence::net::dave::mls;
using spence::net::dave::mls::fuzz::read_back_exactly;

void exercise_tree(const ratchet_tree& tree) {
  (void)tree.tree_hash();
  (void)tree.resolution(root(tree.leaf_count()));
  (void)tree.validate(bytes{1, 2, 3});
  // Path computations are per leaf; bound the work on large trees.
  for (leaf_index leaf{0}; tree.contains(leaf) && leaf.value < 64; ++leaf.value) (void)tree.filtered_direct_path(leaf);
  ratchet_tree changed = tree;
  leaf_node added;
  added.encryption_key = {1};
  const auto at = changed.add(added);
  if (!changed.leaf(at)) std::abort();
  (void)changed.tree_hash();
  if (!changed.remove(leaf_index{0}) && tree.leaf(leaf_index{0})) std::abort();
  auto again = decode<ratchet_tree>(encode(changed));
  if (!again || !(*again == changed)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bytes_view input(data + 1, size - 1);
  switch (data[0] % 5) {
    case 0: {
      std::optional<key_package> holder;
      if (const auto* package = read_back_exactly(input, holder)) {
        (void)package->validate();
        (void)package->ref();
      }
      break;
    }
    case 1: {
      std::optional<ratchet_tree> holder;
      if (const auto* tree = read_back_exactly(input, holder)) exercise_tree(*tree);
      break;
    }
    case 2: {
      std::optional<update_path> holder;
      (void)read_back_exactly(input, holder);
      break;
    }
    case 3: {
      std::optional<leaf_node> holder;
      if (const auto* leaf = read_back_exactly(input, holder)) (void)leaf->validate({bytes{1}, leaf_index{0}});
      break;
    }
    case 4: {
      std::optional<group_context> holder;
      (void)read_back_exactly(input, holder);
      break;
    }
  }
  return 0;
}
