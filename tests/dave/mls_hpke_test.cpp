// HPKE base mode against RFC 9180's published vector for DHKEM(P-256, HKDF-SHA256), HKDF-SHA256,
// AES-128-GCM (appendix A.3.1): DeriveKeyPair of both parties' ikm, the encapsulated key, and the
// first two sealed messages byte for byte; the recipient opens them. Then the context's rules:
// sequence numbers advance per message, a failed open does not advance, and DeriveKeyPair is
// deterministic.

#include "net/dave/mls/hpke.hpp"

#include "tests/dave/mls_vectors.hpp"

namespace spence::net::dave::mls {
namespace {

using test::from_hex;
using test::to_hex;

// RFC 9180 appendix A.3.1, "Base Setup Information" and the first two "Encryptions".
struct rfc9180_a31 {
  bytes info = from_hex("4f6465206f6e2061204772656369616e2055726e");  // "Ode on a Grecian Urn"
  bytes ikm_e = from_hex("4270e54ffd08d79d5928020af4686d8f6b7d35dbe470265f1f5aa22816ce860e");
  std::string sk_em = "4995788ef4b9d6132b249ce59a77281493eb39af373d236a1fe415cb0c2d7beb";
  std::string pk_em =
      "04a92719c6195d5085104f469a8b9814d5838ff72b60501e2c4466e5e67b325ac98536d7b61a1af4b78e5b7f951c0900be863c403ce65c9bf"
      "cb9382657222d18c4";
  bytes ikm_r = from_hex("668b37171f1072f3cf12ea8a236a45df23fc13b82af3609ad1e354f6ef817550");
  std::string sk_rm = "f3ce7fdae57e1a310d87f1ebbde6f328be0a99cdbcadf4d6589cf29de4b8ffd2";
  std::string pk_rm =
      "04fe8c19ce0905191ebc298a9245792531f26f0cece2460639e8bc39cb7f706a826a779b4cf969b8a0e539c7f62fb3d30ad6aa8f80e30f1d1"
      "28aafd68a2ce72ea0";
  bytes plaintext = from_hex("4265617574792069732074727574682c20747275746820626561757479");  // "Beauty is truth, truth beauty"
  bytes aad_0 = from_hex("436f756e742d30");  // "Count-0"
  std::string ciphertext_0 = "5ad590bb8baa577f8619db35a36311226a896e7342a6d836d8b7bcd2f20b6c7f9076ac232e3ab2523f39513434";
  bytes aad_1 = from_hex("436f756e742d31");  // "Count-1"
  std::string ciphertext_1 = "fa6f037b47fc21826b610172ca9637e82d6e5801eb31cbd3748271affd4ecb06646e0329cbdf3c3cd655b28e82";
};

TEST(Hpke, DeriveKeyPairMatchesRfc9180) {
  const rfc9180_a31 v;
  const auto ephemeral = derive_key_pair(v.ikm_e).value();
  EXPECT_EQ(to_hex(ephemeral.private_key), v.sk_em);
  EXPECT_EQ(to_hex(ephemeral.public_key), v.pk_em);
  const auto recipient = derive_key_pair(v.ikm_r).value();
  EXPECT_EQ(to_hex(recipient.private_key), v.sk_rm);
  EXPECT_EQ(to_hex(recipient.public_key), v.pk_rm);
  test::report_vectors("RFC 9180 A.3.1 DeriveKeyPair", 2);
}

TEST(Hpke, SealsAndOpensRfc9180sMessages) {
  const rfc9180_a31 v;
  const auto ephemeral = derive_key_pair(v.ikm_e).value();
  const auto recipient = derive_key_pair(v.ikm_r).value();
  auto sender = setup_base_sender(recipient.public_key, v.info, ephemeral).value();
  EXPECT_EQ(to_hex(sender.enc), v.pk_em);
  const bytes first = sender.context.seal(v.aad_0, v.plaintext).value();
  const bytes second = sender.context.seal(v.aad_1, v.plaintext).value();
  EXPECT_EQ(to_hex(first), v.ciphertext_0);
  EXPECT_EQ(to_hex(second), v.ciphertext_1);

  auto opener = setup_base_recipient(sender.enc, recipient.private_key, v.info).value();
  EXPECT_EQ(opener.open(v.aad_0, first).value(), v.plaintext);
  EXPECT_EQ(opener.open(v.aad_1, second).value(), v.plaintext);
  test::report_vectors("RFC 9180 A.3.1 base mode encryptions (sequence 0 and 1)", 2);
}

TEST(Hpke, AFailedOpenLeavesTheSequenceNumberAlone) {
  const auto recipient = generate_key_pair();
  const bytes info{'i'};
  auto sender = setup_base_sender(recipient.public_key, info).value();
  const bytes first = sender.context.seal({}, bytes{1}).value();
  const bytes second = sender.context.seal({}, bytes{2}).value();
  auto opener = setup_base_recipient(sender.enc, recipient.private_key, info).value();
  // Out of order: the second message under the first nonce does not open...
  EXPECT_EQ(opener.open({}, second).error(), make_mls_error(mls_errc::decrypt_failed, "aead ciphertext"));
  // ...and did not consume it: the first still opens, then the second.
  EXPECT_EQ(opener.open({}, first).value(), bytes{1});
  EXPECT_EQ(opener.open({}, second).value(), bytes{2});
}

TEST(Hpke, InfoAndRecipientKeyBindTheContext) {
  const auto recipient = generate_key_pair();
  auto sender = setup_base_sender(recipient.public_key, bytes{'a'}).value();
  const bytes sealed = sender.context.seal({}, bytes{7}).value();
  auto other_info = setup_base_recipient(sender.enc, recipient.private_key, bytes{'b'}).value();
  EXPECT_FALSE(other_info.open({}, sealed));
  auto other_key = setup_base_recipient(sender.enc, generate_key_pair().private_key, bytes{'a'}).value();
  EXPECT_FALSE(other_key.open({}, sealed));
  EXPECT_EQ(setup_base_recipient(bytes(65, 0x04), recipient.private_key, bytes{'a'}).error(),
            make_mls_error(mls_errc::bad_public_key, "enc"));
  EXPECT_EQ(setup_base_sender(bytes{0x04, 1, 2}, bytes{'a'}).error(), make_mls_error(mls_errc::bad_public_key, "public key"));
}

TEST(Hpke, DeriveKeyPairIsDeterministicAndGenerateIsNot) {
  const bytes ikm(32, 0x5a);
  EXPECT_EQ(derive_key_pair(ikm).value().private_key, derive_key_pair(ikm).value().private_key);
  EXPECT_NE(generate_key_pair().private_key, generate_key_pair().private_key);
  const auto pair = generate_key_pair();
  EXPECT_EQ(p256_public_key(pair.private_key).value(), pair.public_key);
}

}  // namespace
}  // namespace spence::net::dave::mls
