#pragma once
// Cipher suite 2's hash and MAC (RFC 9420 5.1): SHA-256 and HMAC-SHA256, and RefHash (5.2), the
// hash that names KeyPackages and Proposals by reference ("MLS 1.0 KeyPackage Reference",
// "MLS 1.0 Proposal Reference"). No input makes these fail (MLS messages are far below the 1 GiB
// a <V> vector can hold); an OpenSSL failure (out of memory) throws.

#include "net/dave/mls/bytes.hpp"

#include <cstddef>
#include <string_view>

namespace spence::net::dave::mls {

inline constexpr std::size_t hash_size = 32;  // Nh: SHA-256

bytes sha256(bytes_view data);
bytes hmac_sha256(bytes_view key, bytes_view data);
// Hash(RefHashInput{opaque label<V> = label; opaque value<V> = value}); the label is used as given,
// without the "MLS 1.0 " prefix the other labelled functions add.
bytes ref_hash(std::string_view label, bytes_view value);

}  // namespace spence::net::dave::mls
