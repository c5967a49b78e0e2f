// Cipher suite 2's primitives: the MLS working group's crypto-basics vectors for suite 2
// (RefHash, ExpandWithLabel, DeriveSecret, DeriveTreeSecret, SignWithLabel, EncryptWithLabel),
// published known answers for the building blocks (RFC 4231 HMAC, RFC 5869 HKDF, the GCM spec's
// AES-128 cases), and refusals: tampered ciphertexts, bad keys, bad signatures.

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/kdf.hpp"
#include "net/dave/mls/p256.hpp"
#include "net/dave/mls/signature.hpp"

#include "tests/dave/mls_vectors.hpp"

namespace spence::net::dave::mls {
namespace {

using test::error_in;

using test::from_hex;
using test::hex_field;
using test::to_hex;

std::string string_field(const boost::json::value& object, std::string_view key) {
  return std::string(object.at(key).as_string());
}

std::uint64_t number_field(const boost::json::value& object, std::string_view key) {
  return object.at(key).to_number<std::uint64_t>();
}

// The suite 2 entry of crypto-basics.json (the file holds only suite 2 here).
const boost::json::value& suite_2_vector() {
  static const boost::json::value vectors = test::load_vectors("crypto-basics.json");
  for (const auto& vector : vectors.as_array()) {
    if (number_field(vector, "cipher_suite") == 2) return vector;
  }
  static const boost::json::value none = nullptr;
  ADD_FAILURE() << "no cipher suite 2 vector in crypto-basics.json";
  return none;
}

TEST(MlsCrypto, RefHashMatchesTheVector) {
  const auto& v = suite_2_vector().at("ref_hash");
  EXPECT_EQ(to_hex(ref_hash(string_field(v, "label"), hex_field(v, "value"))), string_field(v, "out"));
  test::report_vectors("crypto-basics.json ref_hash (suite 2)", 1);
}

TEST(MlsCrypto, ExpandWithLabelMatchesTheVector) {
  const auto& v = suite_2_vector().at("expand_with_label");
  const auto out = expand_with_label(hex_field(v, "secret"), string_field(v, "label"), hex_field(v, "context"),
                                     static_cast<std::uint16_t>(number_field(v, "length")));
  EXPECT_EQ(to_hex(out.value()), string_field(v, "out"));
  test::report_vectors("crypto-basics.json expand_with_label (suite 2)", 1);
}

TEST(MlsCrypto, DeriveSecretMatchesTheVector) {
  const auto& v = suite_2_vector().at("derive_secret");
  EXPECT_EQ(to_hex(derive_secret(hex_field(v, "secret"), string_field(v, "label"))), string_field(v, "out"));
  test::report_vectors("crypto-basics.json derive_secret (suite 2)", 1);
}

TEST(MlsCrypto, DeriveTreeSecretMatchesTheVector) {
  const auto& v = suite_2_vector().at("derive_tree_secret");
  const auto out = derive_tree_secret(hex_field(v, "secret"), string_field(v, "label"),
                                      static_cast<std::uint32_t>(number_field(v, "generation")),
                                      static_cast<std::uint16_t>(number_field(v, "length")));
  EXPECT_EQ(to_hex(out.value()), string_field(v, "out"));
  test::report_vectors("crypto-basics.json derive_tree_secret (suite 2)", 1);
}

TEST(MlsCrypto, VerifiesTheVectorsSignatureAndItsOwn) {
  const auto& v = suite_2_vector().at("sign_with_label");
  const bytes private_key = hex_field(v, "priv");
  const bytes public_key = hex_field(v, "pub");
  const bytes content = hex_field(v, "content");
  const std::string label = string_field(v, "label");
  EXPECT_EQ(p256_public_key(private_key).value(), public_key);
  EXPECT_TRUE(verify_with_label(public_key, label, content, hex_field(v, "signature")).value());
  // ECDSA is randomized: our signature differs from the vector's but must verify the same way.
  const bytes ours = sign_with_label(private_key, label, content).value();
  EXPECT_TRUE(verify_with_label(public_key, label, content, ours).value());
  test::report_vectors("crypto-basics.json sign_with_label (suite 2)", 1);
}

TEST(MlsCrypto, RefusesSignaturesOverOtherContentOrLabelsAndMalformedDer) {
  const auto& v = suite_2_vector().at("sign_with_label");
  const bytes public_key = hex_field(v, "pub");
  const bytes content = hex_field(v, "content");
  const bytes signature = hex_field(v, "signature");
  bytes other_content = content;
  other_content[0] ^= 1;
  EXPECT_FALSE(verify_with_label(public_key, "SignWithLabel", other_content, signature).value());
  EXPECT_FALSE(verify_with_label(public_key, "LeafNodeTBS", content, signature).value());
  EXPECT_FALSE(verify_with_label(public_key, "SignWithLabel", content, bytes{0x30, 0x02, 0x05, 0x00}).value());
  EXPECT_FALSE(verify_with_label(public_key, "SignWithLabel", content, bytes{}).value());
  bytes truncated = signature;
  truncated.pop_back();
  EXPECT_FALSE(verify_with_label(public_key, "SignWithLabel", content, truncated).value());
}

TEST(MlsCrypto, RefusesPublicKeysOffTheCurveOrNotUncompressed) {
  const auto& v = suite_2_vector().at("sign_with_label");
  const bytes public_key = hex_field(v, "pub");
  bytes off_curve = public_key;
  off_curve.back() ^= 1;  // same x, wrong y
  const bytes content{1, 2, 3};
  const auto bad_key = make_mls_error(mls_errc::bad_public_key, "public key");
  EXPECT_EQ(error_in(verify_with_label(off_curve, "x", content, bytes{})), bad_key);
  bytes compressed(public_key.begin(), public_key.begin() + 33);
  compressed[0] = 0x02;
  EXPECT_EQ(error_in(verify_with_label(compressed, "x", content, bytes{})), bad_key);
  EXPECT_EQ(error_in(verify_with_label(bytes{}, "x", content, bytes{})), bad_key);
}

TEST(MlsCrypto, RefusesPrivateKeysOutsideTheScalarRange) {
  const auto bad_key = make_mls_error(mls_errc::bad_private_key, "private key");
  const bytes order = from_hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551");
  EXPECT_EQ(error_in(p256_public_key(bytes(32, 0))), bad_key);
  EXPECT_EQ(error_in(p256_public_key(order)), bad_key);
  EXPECT_EQ(error_in(p256_public_key(bytes(31, 1))), bad_key);
  EXPECT_EQ(error_in(sign_with_label(order, "x", bytes{})), bad_key);
  bytes below_order = order;
  below_order.back() -= 1;  // n - 1, the largest valid scalar
  EXPECT_TRUE(p256_public_key(below_order));
}

TEST(MlsCrypto, DecryptsTheVectorsCiphertextAndRoundTripsItsOwn) {
  const auto& v = suite_2_vector().at("encrypt_with_label");
  const bytes private_key = hex_field(v, "priv");
  const bytes public_key = hex_field(v, "pub");
  const std::string label = string_field(v, "label");
  const bytes context = hex_field(v, "context");
  const bytes plaintext = hex_field(v, "plaintext");
  EXPECT_EQ(p256_public_key(private_key).value(), public_key);
  const hpke_ciphertext theirs{hex_field(v, "kem_output"), hex_field(v, "ciphertext")};
  EXPECT_EQ(decrypt_with_label(private_key, label, context, theirs).value(), plaintext);
  const hpke_ciphertext ours = encrypt_with_label(public_key, label, context, plaintext).value();
  EXPECT_NE(ours.kem_output, theirs.kem_output);  // a fresh ephemeral key every time
  EXPECT_EQ(decrypt_with_label(private_key, label, context, ours).value(), plaintext);
  test::report_vectors("crypto-basics.json encrypt_with_label (suite 2)", 1);
}

TEST(MlsCrypto, DecryptWithLabelRefusesTamperingAndOtherLabels) {
  const auto& v = suite_2_vector().at("encrypt_with_label");
  const bytes private_key = hex_field(v, "priv");
  const bytes context = hex_field(v, "context");
  const hpke_ciphertext good{hex_field(v, "kem_output"), hex_field(v, "ciphertext")};
  const auto failed = make_mls_error(mls_errc::decrypt_failed, "aead ciphertext");

  hpke_ciphertext flipped = good;
  flipped.ciphertext[3] ^= 0x80;
  EXPECT_EQ(error_in(decrypt_with_label(private_key, "EncryptWithLabel", context, flipped)), failed);
  EXPECT_EQ(error_in(decrypt_with_label(private_key, "Welcome", context, good)), failed);
  EXPECT_EQ(error_in(decrypt_with_label(private_key, "EncryptWithLabel", bytes{}, good)), failed);
  hpke_ciphertext short_ciphertext = good;
  short_ciphertext.ciphertext.resize(5);
  EXPECT_EQ(error_in(decrypt_with_label(private_key, "EncryptWithLabel", context, short_ciphertext)), failed);
  hpke_ciphertext bad_enc = good;
  bad_enc.kem_output.back() ^= 1;
  EXPECT_EQ(error_in(decrypt_with_label(private_key, "EncryptWithLabel", context, bad_enc)),
            make_mls_error(mls_errc::bad_public_key, "enc"));
  // A different recipient's key opens nothing.
  EXPECT_EQ(error_in(decrypt_with_label(generate_key_pair().private_key, "EncryptWithLabel", context, good)), failed);
}

TEST(MlsCrypto, HmacSha256MatchesRfc4231) {
  // RFC 4231 test case 2.
  const std::string_view key = "Jefe";
  const std::string_view data = "what do ya want for nothing?";
  EXPECT_EQ(to_hex(hmac_sha256(bytes(key.begin(), key.end()), bytes(data.begin(), data.end()))),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  // The empty key is the zero block.
  EXPECT_EQ(hmac_sha256(bytes{}, bytes{1, 2}), hmac_sha256(bytes(32, 0), bytes{1, 2}));
}

TEST(MlsCrypto, HkdfMatchesRfc5869) {
  // RFC 5869 test case 1.
  const bytes salt = from_hex("000102030405060708090a0b0c");
  const bytes prk = hkdf_extract(salt, bytes(22, 0x0b));
  EXPECT_EQ(to_hex(prk), "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
  EXPECT_EQ(to_hex(hkdf_expand(prk, from_hex("f0f1f2f3f4f5f6f7f8f9"), 42).value()),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
  EXPECT_EQ(error_in(hkdf_expand(prk, bytes{}, 255 * 32 + 1)),
            make_mls_error(mls_errc::bad_length, "hkdf_expand length"));
  EXPECT_EQ(hkdf_expand(prk, bytes{}, 255 * 32).value().size(), 255u * 32);
}

TEST(MlsCrypto, AesGcmMatchesTheGcmSpecAndRefusesTampering) {
  // McGrew and Viega's GCM specification, test cases 1 and 2: zero key, zero nonce.
  const bytes key(16, 0);
  const bytes nonce(12, 0);
  EXPECT_EQ(to_hex(aes128_gcm_seal(key, nonce, {}, {}).value()), "58e2fccefa7e3061367f1d57a4e7455a");
  const bytes sealed = aes128_gcm_seal(key, nonce, {}, bytes(16, 0)).value();
  EXPECT_EQ(to_hex(sealed), "0388dace60b6a392f328c2b971b2fe78ab6e47d42cec13bdf53a67b21257bddf");
  EXPECT_EQ(aes128_gcm_open(key, nonce, {}, sealed).value(), bytes(16, 0));

  const auto failed = make_mls_error(mls_errc::decrypt_failed, "aead ciphertext");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    bytes tampered = sealed;
    tampered[i] ^= 0x01;
    EXPECT_EQ(error_in(aes128_gcm_open(key, nonce, {}, tampered)), failed) << "byte " << i;
  }
  EXPECT_EQ(error_in(aes128_gcm_open(key, nonce, bytes{1}, sealed)), failed);
  EXPECT_EQ(error_in(aes128_gcm_open(key, nonce, {}, bytes(15, 0))), failed);
  EXPECT_EQ(error_in(aes128_gcm_seal(bytes(32, 0), nonce, {}, {})), make_mls_error(mls_errc::bad_length, "aead key"));
  EXPECT_EQ(error_in(aes128_gcm_open(key, bytes(8, 0), {}, sealed)), make_mls_error(mls_errc::bad_length, "aead nonce"));
}

}  // namespace
}  // namespace spence::net::dave::mls
