#include "net/dave/mls/wipe.hpp"

#include <openssl/crypto.h>

namespace spence::net::dave::mls {

void wipe(bytes& secret) noexcept {
  if (!secret.empty()) OPENSSL_cleanse(secret.data(), secret.size());
  secret.clear();
}

}  // namespace spence::net::dave::mls
