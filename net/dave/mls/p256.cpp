#include "net/dave/mls/p256.hpp"

#include "net/dave/mls/p256_evp.hpp"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>

namespace spence::net::dave::mls {
namespace {

const EC_GROUP& curve() {
  static const ec_group_ptr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  if (!group) throw_openssl_failure("P-256 group");
  return *group;
}

// The scalar, if it is a valid private key.
bignum_ptr scalar_of(bytes_view private_key) {
  if (private_key.size() != p256_private_key_size) return nullptr;
  bignum_ptr scalar(BN_bin2bn(private_key.data(), static_cast<int>(private_key.size()), nullptr));
  if (!scalar) throw_openssl_failure("BN_bin2bn");
  if (BN_is_zero(scalar.get()) || BN_cmp(scalar.get(), EC_GROUP_get0_order(&curve())) >= 0) return nullptr;
  return scalar;
}

mls_result<evp_pkey_ptr> evp_key(bytes_view public_key, const BIGNUM* scalar) {
  const param_bld_ptr builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, public_key.data(), public_key.size()) != 1 ||
      (scalar != nullptr && OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar) != 1)) {
    throw_openssl_failure("P-256 key parameters");
  }
  const params_ptr params(OSSL_PARAM_BLD_to_param(builder.get()));
  const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1) throw_openssl_failure("P-256 key import");
  EVP_PKEY* key = nullptr;
  // fromdata decodes the point and refuses one that is not on the curve.
  if (EVP_PKEY_fromdata(ctx.get(), &key, scalar != nullptr ? EVP_PKEY_KEYPAIR : EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return make_mls_error(mls_errc::bad_public_key, "public key");
  }
  return evp_pkey_ptr(key);
}

}  // namespace

mls_result<bytes> p256_public_key(bytes_view private_key) {
  const bignum_ptr scalar = scalar_of(private_key);
  if (!scalar) return make_mls_error(mls_errc::bad_private_key, "private key");
  const bn_ctx_ptr bn_ctx(BN_CTX_new());
  const ec_point_ptr point(EC_POINT_new(&curve()));
  bytes public_key(p256_public_key_size);
  if (!bn_ctx || !point || EC_POINT_mul(&curve(), point.get(), scalar.get(), nullptr, nullptr, bn_ctx.get()) != 1 ||
      EC_POINT_point2oct(&curve(), point.get(), POINT_CONVERSION_UNCOMPRESSED, public_key.data(), public_key.size(),
                         bn_ctx.get()) != public_key.size()) {
    throw_openssl_failure("P-256 public key");
  }
  return public_key;
}

mls_result<evp_pkey_ptr> p256_public_evp_key(bytes_view public_key) {
  // Only the uncompressed form: OpenSSL would also take a compressed point, which MLS never sends.
  if (public_key.size() != p256_public_key_size || public_key[0] != 0x04) {
    return make_mls_error(mls_errc::bad_public_key, "public key");
  }
  return evp_key(public_key, nullptr);
}

mls_result<evp_pkey_ptr> p256_private_evp_key(bytes_view private_key) {
  const bignum_ptr scalar = scalar_of(private_key);
  if (!scalar) return make_mls_error(mls_errc::bad_private_key, "private key");
  return evp_key(p256_public_key(private_key).value(), scalar.get());
}

mls_result<bytes> p256_dh(bytes_view private_key, bytes_view peer_public_key) {
  auto own = p256_private_evp_key(private_key);
  if (!own) return own.error();
  auto peer = p256_public_evp_key(peer_public_key);
  if (!peer) return peer.error();
  const evp_pkey_ctx_ptr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, own->get(), nullptr));
  bytes shared(p256_dh_size);
  std::size_t size = shared.size();
  if (!ctx || EVP_PKEY_derive_init(ctx.get()) != 1 || EVP_PKEY_derive_set_peer(ctx.get(), peer->get()) != 1 ||
      EVP_PKEY_derive(ctx.get(), shared.data(), &size) != 1 || size != p256_dh_size) {
    throw_openssl_failure("P-256 ECDH");
  }
  return shared;
}

}  // namespace spence::net::dave::mls
