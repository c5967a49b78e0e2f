#pragma once
// Overwrites a secret before its memory goes back to the allocator, in a way the compiler may not
// optimise out (OPENSSL_cleanse). Types holding private keys or path secrets call it from their
// destructors, so a freed heap block does not keep a member's keys.

#include "net/dave/mls/bytes.hpp"

namespace spence::net::dave::mls {

void wipe(bytes& secret) noexcept;

}  // namespace spence::net::dave::mls
