#include "net/dave/mls/mls_error.hpp"

#include <boost/system/system_error.hpp>
#include <boost/throw_exception.hpp>

namespace spence::net::dave::mls {
namespace {

class category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "spence.mls"; }
  std::string message(int ev) const override {
    switch (static_cast<mls_errc>(ev)) {
      case mls_errc::truncated: return "truncated MLS structure";
      case mls_errc::bad_varint: return "MLS variable-length integer with the reserved 0b11 prefix";
      case mls_errc::non_minimal_varint: return "MLS variable-length integer not in its shortest form";
      case mls_errc::length_too_large: return "vector longer than an MLS length prefix can hold (2^30 - 1 bytes)";
      case mls_errc::bad_optional: return "optional presence byte is neither 0 nor 1";
      case mls_errc::trailing_bytes: return "bytes after the MLS structure";
      case mls_errc::bad_public_key: return "not an uncompressed P-256 public key on the curve";
      case mls_errc::bad_private_key: return "not a P-256 private key (32-byte scalar in [1, n-1])";
      case mls_errc::bad_length: return "input of a length the primitive does not take";
      case mls_errc::decrypt_failed: return "AEAD authentication failed";
      case mls_errc::derive_key_pair_failed: return "DeriveKeyPair found no valid P-256 scalar";
      case mls_errc::crypto_failure: return "OpenSSL operation failed";
      case mls_errc::unknown_value: return "value not defined by MLS";
      case mls_errc::unsupported: return "MLS feature DAVE does not use";
      case mls_errc::bad_signature: return "signature does not verify";
      case mls_errc::bad_parent_hash: return "parent hash does not verify";
      case mls_errc::invalid_tree: return "invalid ratchet tree";
      case mls_errc::invalid_leaf_node: return "invalid leaf node";
      case mls_errc::invalid_key_package: return "invalid key package";
      case mls_errc::invalid_update_path: return "UpdatePath does not match the tree";
      case mls_errc::wrong_group: return "message for another MLS group";
      case mls_errc::wrong_epoch: return "message for another epoch";
      case mls_errc::bad_tag: return "membership or confirmation tag does not match";
      case mls_errc::unknown_proposal: return "commit names a proposal not received";
      case mls_errc::invalid_proposal: return "proposal cannot be applied to the group";
      case mls_errc::invalid_commit: return "invalid commit";
      case mls_errc::not_for_member: return "Welcome holds no entry for this member";
      case mls_errc::invalid_welcome: return "invalid Welcome";
    }
    return "unknown spence.mls error";
  }
};

}  // namespace

const boost::system::error_category& mls_category() noexcept {
  static const category instance;
  return instance;
}

std::string mls_error::message() const {
  return field.empty() ? code.message() : code.message() + " (at " + field + ")";
}

void throw_exception_from_error(const mls_error& e, const boost::source_location& where) {
  boost::throw_exception(boost::system::system_error(e.code, e.message()), where);
}

}  // namespace spence::net::dave::mls
