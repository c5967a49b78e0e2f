// The key schedule and transcript hashes against the MLS working group's vectors for cipher suite
// 2: key-schedule.json (every epoch: every secret, the external key, the exporter),
// transcript-hashes.json (both hashes and the confirmation tag), psk_secret.json (the no-PSK case
// only: DAVE uses none) and welcome.json (the welcome key and nonce open the GroupInfo a real
// Welcome carries). secret-tree.json and message-protection.json are skipped: DAVE sends every
// handshake message as a PublicMessage and never uses the secret tree.

#include "net/dave/mls/aes_gcm.hpp"
#include "net/dave/mls/encrypt_with_label.hpp"
#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/key_schedule.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/transcript_hash.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <string>

namespace spence::net::dave::mls {
namespace {

using test::hex_field;
using test::to_hex;

std::vector<boost::json::value> suite_2(std::string_view file) {
  std::vector<boost::json::value> out;
  const auto vectors = test::load_vectors(file);
  if (!vectors.is_array()) return out;
  for (const auto& v : vectors.as_array()) {
    if (v.at("cipher_suite").to_number<int>() == 2) out.push_back(v);
  }
  return out;
}

TEST(MlsKeySchedule, EveryEpochOfTheVectorMatches) {
  const auto vectors = suite_2("key-schedule.json");
  ASSERT_EQ(vectors.size(), 1u);
  const auto& vector = vectors[0];
  bytes init_secret = hex_field(vector, "initial_init_secret");
  int epochs = 0;
  for (const auto& e : vector.at("epochs").as_array()) {
    SCOPED_TRACE("epoch " + std::to_string(epochs));
    const bytes group_context = hex_field(e, "group_context");
    const bytes psk_secret = hex_field(e, "psk_secret");
    const auto epoch = key_schedule::from_init_secret(init_secret, hex_field(e, "commit_secret"), psk_secret, group_context);
    ASSERT_TRUE(epoch) << epoch.error().message();
    EXPECT_EQ(to_hex(epoch->joiner_secret()), e.at("joiner_secret").as_string());
    EXPECT_EQ(to_hex(epoch->welcome_secret()), e.at("welcome_secret").as_string());
    EXPECT_EQ(to_hex(epoch->sender_data_secret()), e.at("sender_data_secret").as_string());
    EXPECT_EQ(to_hex(epoch->encryption_secret()), e.at("encryption_secret").as_string());
    EXPECT_EQ(to_hex(epoch->exporter_secret()), e.at("exporter_secret").as_string());
    EXPECT_EQ(to_hex(epoch->external_secret()), e.at("external_secret").as_string());
    EXPECT_EQ(to_hex(epoch->confirmation_key()), e.at("confirmation_key").as_string());
    EXPECT_EQ(to_hex(epoch->membership_key()), e.at("membership_key").as_string());
    EXPECT_EQ(to_hex(epoch->resumption_psk()), e.at("resumption_psk").as_string());
    EXPECT_EQ(to_hex(epoch->epoch_authenticator()), e.at("epoch_authenticator").as_string());
    EXPECT_EQ(to_hex(epoch->init_secret()), e.at("init_secret").as_string());
    EXPECT_EQ(to_hex(epoch->external_key_pair().value().public_key), e.at("external_pub").as_string());

    // The exporter's label is the vector's text as it stands (64 hex digits, not decoded): that is
    // what the generator passed as the label, and what reproduces its secret.
    const auto& exporter = e.at("exporter");
    const auto exported = epoch->export_secret(std::string(exporter.at("label").as_string()), hex_field(exporter, "context"),
                                               static_cast<std::uint16_t>(exporter.at("length").to_number<int>()));
    EXPECT_EQ(to_hex(exported.value()), exporter.at("secret").as_string());

    // A joiner given the same joiner_secret reaches the same epoch.
    const auto joined = key_schedule::from_joiner_secret(epoch->joiner_secret(), psk_secret, group_context);
    EXPECT_EQ(joined.value().init_secret(), epoch->init_secret());
    EXPECT_EQ(joined.value().exporter_secret(), epoch->exporter_secret());
    EXPECT_EQ(welcome_secret(epoch->joiner_secret(), psk_secret).value(), epoch->welcome_secret());

    init_secret = epoch->init_secret();
    ++epochs;
  }
  EXPECT_EQ(epochs, 5);
  // The vector's serialized group_context is used as given here; its encoding is checked where
  // GroupContext is (treekem_test reads each of these back byte for byte).
  test::report_vectors("key-schedule.json (suite 2) epochs", epochs);
}

TEST(MlsKeySchedule, AnotherGroupContextOrCommitSecretGivesOtherSecrets) {
  const bytes init = bytes(32, 1);
  const auto base = key_schedule::from_init_secret(init, zero_secret(), zero_secret(), bytes{1, 2, 3}).value();
  const auto other_context = key_schedule::from_init_secret(init, zero_secret(), zero_secret(), bytes{1, 2, 4}).value();
  const auto other_commit = key_schedule::from_init_secret(init, bytes(32, 7), zero_secret(), bytes{1, 2, 3}).value();
  EXPECT_NE(base.joiner_secret(), other_context.joiner_secret());
  EXPECT_NE(base.exporter_secret(), other_context.exporter_secret());
  EXPECT_NE(base.joiner_secret(), other_commit.joiner_secret());
  // From one joiner_secret the welcome secret does not depend on the GroupContext (a joiner
  // computes it without one), but the epoch's secrets do.
  const auto joined = key_schedule::from_joiner_secret(base.joiner_secret(), zero_secret(), bytes{5}).value();
  EXPECT_EQ(joined.welcome_secret(), base.welcome_secret());
  EXPECT_NE(joined.exporter_secret(), base.exporter_secret());
}

TEST(MlsKeySchedule, RefusesSecretsOfTheWrongLength) {
  const bytes good(32, 1);
  const bytes short_secret(31, 1);
  const auto error_of = [](const auto& result) { return result ? mls_error{} : result.error(); };
  EXPECT_EQ(error_of(key_schedule::from_init_secret(short_secret, good, good, {})),
            make_mls_error(mls_errc::bad_length, "init_secret"));
  EXPECT_EQ(error_of(key_schedule::from_init_secret(good, short_secret, good, {})),
            make_mls_error(mls_errc::bad_length, "commit_secret"));
  EXPECT_EQ(error_of(key_schedule::from_init_secret(good, good, bytes{}, {})),
            make_mls_error(mls_errc::bad_length, "psk_secret"));
  EXPECT_EQ(error_of(key_schedule::from_joiner_secret(bytes(33, 0), good, {})),
            make_mls_error(mls_errc::bad_length, "joiner_secret"));
  EXPECT_EQ(error_of(welcome_secret(good, short_secret)), make_mls_error(mls_errc::bad_length, "psk_secret"));
  EXPECT_EQ(error_of(welcome_key_and_nonce(short_secret)), make_mls_error(mls_errc::bad_length, "welcome_secret"));
  const auto epoch = key_schedule::from_init_secret(good, good, good, {}).value();
  EXPECT_EQ(error_of(epoch.export_secret("x", {}, 255 * 32 + 1)), make_mls_error(mls_errc::bad_length, "hkdf_expand length"));
}

TEST(MlsKeySchedule, ZeroSecretIsTheVectorsNoPskSecret) {
  int ran = 0;
  int skipped = 0;
  for (const auto& v : suite_2("psk_secret.json")) {
    if (!v.at("psks").as_array().empty()) {
      ++skipped;
      continue;
    }
    EXPECT_EQ(to_hex(zero_secret()), v.at("psk_secret").as_string());
    ++ran;
  }
  EXPECT_EQ(ran, 1);
  test::report_vectors("psk_secret.json (suite 2) no-PSK case", ran,
                       std::to_string(skipped) + " with PSKs (DAVE uses no PSKs)");
}

// The tail of a commit's AuthenticatedContent is its confirmation_tag<V>, and suite 2's MAC is 32
// bytes: split it off as 0x20 followed by 32 bytes (the framing code will hand over the parts).
struct split_commit {
  bytes confirmed_input;
  bytes confirmation_tag;
};
split_commit split_confirmation_tag(const bytes& authenticated_content) {
  constexpr std::size_t tag_field = 1 + hash_size;
  if (authenticated_content.size() < tag_field || authenticated_content[authenticated_content.size() - tag_field] != hash_size) {
    ADD_FAILURE() << "no 32-byte confirmation tag at the end";
    return {};
  }
  const auto tag_at = authenticated_content.end() - static_cast<std::ptrdiff_t>(tag_field);
  return {bytes(authenticated_content.begin(), tag_at), bytes(tag_at + 1, authenticated_content.end())};
}

TEST(MlsTranscriptHash, TheVectorsHashesAndConfirmationTagMatch) {
  int ran = 0;
  for (const auto& v : suite_2("transcript-hashes.json")) {
    const auto parts = split_confirmation_tag(hex_field(v, "authenticated_content"));
    const bytes confirmed = confirmed_transcript_hash(hex_field(v, "interim_transcript_hash_before"), parts.confirmed_input);
    EXPECT_EQ(to_hex(confirmed), v.at("confirmed_transcript_hash_after").as_string());
    EXPECT_EQ(to_hex(interim_transcript_hash(confirmed, parts.confirmation_tag)),
              v.at("interim_transcript_hash_after").as_string());
    // The tag in the commit is the MAC of the new confirmed hash under the confirmation key.
    EXPECT_EQ(hmac_sha256(hex_field(v, "confirmation_key"), confirmed), parts.confirmation_tag);
    ++ran;
  }
  EXPECT_EQ(ran, 1);
  test::report_vectors("transcript-hashes.json (suite 2)", ran);
}

TEST(MlsKeySchedule, ConfirmationAndMembershipTagsAreMacsUnderTheirKeys) {
  const auto epoch = key_schedule::from_init_secret(bytes(32, 3), zero_secret(), zero_secret(), bytes{9}).value();
  const bytes transcript(32, 5);
  EXPECT_EQ(epoch.confirmation_tag(transcript), hmac_sha256(epoch.confirmation_key(), transcript));
  EXPECT_EQ(epoch.membership_tag(transcript), hmac_sha256(epoch.membership_key(), transcript));
  EXPECT_NE(epoch.confirmation_tag(transcript), epoch.membership_tag(transcript));
  const bytes tag = epoch.confirmation_tag(transcript);
  EXPECT_TRUE(mac_equal(tag, tag));
  bytes tampered = tag;
  tampered[31] ^= 1;
  EXPECT_FALSE(mac_equal(tag, tampered));
  EXPECT_FALSE(mac_equal(tag, bytes(tag.begin(), tag.end() - 1)));
}

// welcome.json's Welcome, read as far as the welcome key needs: the member's GroupSecrets are
// HPKE-decrypted with its init key, and the joiner_secret inside gives the key and nonce that
// must open encrypted_group_info (AES-GCM: opening checks the tag, so a wrong key cannot pass).
TEST(MlsKeySchedule, TheWelcomeKeyAndNonceOpenTheVectorsGroupInfo) {
  int ran = 0;
  for (const auto& v : suite_2("welcome.json")) {
    const bytes message = hex_field(v, "welcome");
    tls_reader in(message);
    EXPECT_EQ(in.u16("version").value(), 1);
    EXPECT_EQ(in.u16("wire_format").value(), 3);  // mls_welcome
    EXPECT_EQ(in.u16("cipher_suite").value(), 2);
    auto secrets = in.vector("secrets").value();
    ASSERT_TRUE(secrets.opaque("new_member"));
    hpke_ciphertext sealed;
    const auto kem_output = secrets.opaque("kem_output").value();
    const auto ciphertext = secrets.opaque("ciphertext").value();
    sealed.kem_output.assign(kem_output.begin(), kem_output.end());
    sealed.ciphertext.assign(ciphertext.begin(), ciphertext.end());
    const auto encrypted_group_info = in.opaque("encrypted_group_info").value();
    EXPECT_TRUE(in.finish());

    const bytes group_secrets = decrypt_with_label(hex_field(v, "init_priv"), "Welcome", encrypted_group_info, sealed).value();
    tls_reader secrets_in(group_secrets);
    const auto joiner = secrets_in.opaque("joiner_secret").value();
    const auto key = welcome_key_and_nonce(welcome_secret(joiner, zero_secret()).value()).value();
    const auto group_info = aes128_gcm_open(key.key, key.nonce, {}, encrypted_group_info);
    ASSERT_TRUE(group_info) << group_info.error().message();
    // A GroupInfo starts with its GroupContext: version 1, cipher suite 2.
    ASSERT_GE(group_info->size(), 4u);
    EXPECT_EQ(bytes(group_info->begin(), group_info->begin() + 4), (bytes{0, 1, 0, 2}));
    ++ran;
  }
  EXPECT_EQ(ran, 1);
  // The rest of the vector (the GroupInfo's signature, its tree, the join) is mls_welcome_test's.
  test::report_vectors("welcome.json (suite 2) welcome key and nonce", ran);
}

TEST(MlsKeySchedule, SecretTreeAndMessageProtectionVectorsAreNotUsed) {
  const auto secret_tree = suite_2("secret-tree.json");
  const auto protection = suite_2("message-protection.json");
  EXPECT_FALSE(secret_tree.empty());
  EXPECT_FALSE(protection.empty());
  test::report_vectors("secret-tree.json (suite 2)", 0,
                       std::to_string(secret_tree.size()) +
                           " (DAVE never uses PrivateMessage: all handshake traffic is PublicMessage)");
  test::report_vectors("message-protection.json (suite 2)", 0,
                       std::to_string(protection.size()) +
                           " (DAVE never uses PrivateMessage: all handshake traffic is PublicMessage)");
}

}  // namespace
}  // namespace spence::net::dave::mls
