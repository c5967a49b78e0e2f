#include "net/dave/mls/tree_private_state.hpp"

#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/kdf.hpp"
#include "net/dave/mls/p256.hpp"
#include "net/dave/mls/wipe.hpp"

#include <string>

namespace spence::net::dave::mls {

tree_private_state::tree_private_state(leaf_index own, bytes leaf_private_key) : own_(own) {
  keys_.emplace(node_of(own), std::move(leaf_private_key));
}

tree_private_state::~tree_private_state() { wipe_all(); }

tree_private_state& tree_private_state::operator=(tree_private_state other) noexcept {
  wipe_all();
  own_ = other.own_;
  keys_ = std::move(other.keys_);
  return *this;
}

void tree_private_state::wipe_all() noexcept {
  for (auto& [node, key] : keys_) wipe(key);
}

const bytes* tree_private_state::private_key(node_index node) const {
  const auto found = keys_.find(node);
  return found == keys_.end() ? nullptr : &found->second;
}

void tree_private_state::set_private_key(node_index node, bytes private_key) {
  auto& slot = keys_[node];
  wipe(slot);
  slot = std::move(private_key);
}

mls_result<bytes> tree_private_state::set_path_secret(node_index node, bytes_view path_secret) {
  bytes node_secret = derive_secret(path_secret, "node");
  auto pair = derive_key_pair(node_secret);
  wipe(node_secret);
  if (!pair) return pair.error();
  set_private_key(node, std::move(pair->private_key));
  return std::move(pair->public_key);
}

void tree_private_state::forget(std::span<const node_index> nodes) {
  for (const auto node : nodes) {
    if (auto found = keys_.find(node); found != keys_.end()) {
      wipe(found->second);
      keys_.erase(found);
    }
  }
}

mls_result<bytes> tree_private_state::implant(const ratchet_tree& tree, std::span<const node_index> path,
                                              bytes path_secret) {
  for (const auto node : path) {
    auto public_key = set_path_secret(node, path_secret);
    const bytes* expected = tree.encryption_key(node);
    if (!public_key || expected == nullptr || *expected != *public_key) {
      wipe(path_secret);
      if (!public_key) return public_key.error();
      return make_mls_error(mls_errc::invalid_update_path, "public key of node " + std::to_string(node.value));
    }
    bytes next = derive_secret(path_secret, "path");
    wipe(path_secret);
    path_secret = std::move(next);
  }
  return path_secret;
}

mls_result<void> tree_private_state::check_against(const ratchet_tree& tree) const {
  for (const auto& [node, key] : keys_) {
    const bytes* expected = tree.encryption_key(node);
    auto public_key = p256_public_key(key);
    if (expected == nullptr || !public_key || *public_key != *expected) {
      return make_mls_error(mls_errc::invalid_tree, "private key of node " + std::to_string(node.value));
    }
  }
  return {};
}

}  // namespace spence::net::dave::mls
