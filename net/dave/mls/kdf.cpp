#include "net/dave/mls/kdf.hpp"

#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/labeled_content.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <algorithm>

namespace spence::net::dave::mls {

bytes hkdf_extract(bytes_view salt, bytes_view ikm) { return hmac_sha256(salt, ikm); }

mls_result<bytes> hkdf_expand(bytes_view prk, bytes_view info, std::size_t length) {
  if (length > 255 * hash_size) return make_mls_error(mls_errc::bad_length, "hkdf_expand length");
  // T(i) = HMAC(prk, T(i-1) || info || i), concatenated and cut to length.
  bytes okm;
  bytes block;
  for (std::uint8_t counter = 1; okm.size() < length; ++counter) {
    bytes input = block;
    input.insert(input.end(), info.begin(), info.end());
    input.push_back(counter);
    block = hmac_sha256(prk, input);
    okm.insert(okm.end(), block.begin(), block.begin() + std::min(block.size(), length - okm.size()));
  }
  return okm;
}

mls_result<bytes> expand_with_label(bytes_view secret, std::string_view label, bytes_view context, std::uint16_t length) {
  tls_writer kdf_label;
  kdf_label.u16(length);
  kdf_label.fixed(labeled_content(label, context));
  return hkdf_expand(secret, std::move(kdf_label).finish().value(), length);
}

bytes derive_secret(bytes_view secret, std::string_view label) {
  return expand_with_label(secret, label, {}, hash_size).value();  // Nh is within HKDF's range
}

mls_result<bytes> derive_tree_secret(bytes_view secret, std::string_view label, std::uint32_t generation,
                                     std::uint16_t length) {
  tls_writer context;
  context.u32(generation);
  return expand_with_label(secret, label, std::move(context).finish().value(), length);
}

}  // namespace spence::net::dave::mls
