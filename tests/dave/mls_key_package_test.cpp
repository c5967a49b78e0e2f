// The tree side's wire structures and DAVE key packages: credentials, capabilities, leaf nodes and
// key packages read and written back byte for byte; a key package made as DAVE requires, signed
// and verified; the real one a Discord client sent (inside the captured op-27 Add proposal) read,
// validated and named by its known KeyPackageRef; and malformed or tampered input refused with the
// field it concerns.

#include "net/dave/mls/capabilities.hpp"
#include "net/dave/mls/credential.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/leaf_node.hpp"
#include "net/dave/mls/p256.hpp"
#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include "tests/dave/mls_vectors.hpp"

namespace spence::net::dave::mls {
namespace {

using test::captured_payload;
using test::error_in;
using test::from_hex;
using test::to_hex;

// The key package inside line 2, the op-27 append body: a <V> list holding one MLSMessage, a
// PublicMessage whose FramedContent is an external sender's Add proposal. Read field by field up
// to the key package; after it only the FramedContentAuthData's signature may follow.
key_package captured_key_package() {
  const bytes payload = captured_payload(2);
  tls_reader outer(payload);
  auto messages = outer.vector("proposal_messages").value();
  EXPECT_TRUE(outer.finish());
  EXPECT_EQ(messages.u16("version").value(), protocol_version_mls10);
  EXPECT_EQ(messages.u16("wire_format").value(), 1);  // mls_public_message
  const auto group_id = messages.opaque("group_id").value();
  EXPECT_EQ(to_hex(group_id), "0cde77eadc823033");  // channel 927310423890473011
  EXPECT_EQ(messages.u64("epoch").value(), 0u);
  EXPECT_EQ(messages.u8("sender_type").value(), 2);  // external
  EXPECT_EQ(messages.u32("sender_index").value(), 0u);
  EXPECT_TRUE(messages.opaque("authenticated_data").value().empty());
  EXPECT_EQ(messages.u8("content_type").value(), 2);   // proposal
  EXPECT_EQ(messages.u16("proposal_type").value(), 1);  // add
  auto package = key_package::read(messages);
  EXPECT_TRUE(package) << package.error().message();
  EXPECT_FALSE(messages.opaque("signature").value().empty());
  EXPECT_TRUE(messages.finish());
  return package ? *package : key_package{};
}

TEST(MlsKeyPackage, TheCapturedDiscordKeyPackageReadsValidatesAndHasItsKnownRef) {
  const key_package package = captured_key_package();
  EXPECT_TRUE(package.validate()) << package.validate().error().message();
  EXPECT_EQ(to_hex(package.ref()), "d3b05020630bd37fcc34a4f18b07b44c4d5b6db047b741a4e690a9884ea5e2ea");
  // DAVE's shape, as a Discord client makes it.
  EXPECT_EQ(package.leaf_node.credential.user_id(), 158533742254751744u);
  EXPECT_EQ(package.leaf_node.capabilities, capabilities::dave());
  EXPECT_EQ(package.leaf_node.lifetime, lifetime{});
  EXPECT_TRUE(package.extensions.empty());
  EXPECT_TRUE(package.leaf_node.extensions.empty());
  // It writes back to the bytes it was read from (the ref hashes the encoding, so it matching
  // already says so; this states it directly).
  const bytes payload = captured_payload(2);
  const bytes written = encode(package);
  EXPECT_NE(std::search(payload.begin(), payload.end(), written.begin(), written.end()), payload.end());
  test::report_vectors("captured op-27 key package (signatures, KeyPackageRef)", 1);
}

TEST(MlsKeyPackage, TamperingWithTheCapturedKeyPackageBreaksItsSignatures) {
  const key_package original = captured_key_package();
  key_package package = original;
  package.init_key.back() ^= 1;  // another point (or none): either way the package is refused
  EXPECT_FALSE(package.validate());
  package = original;
  package.leaf_node.credential = basic_credential::for_user(1);
  EXPECT_EQ(error_in(package.validate()).code, make_error_code(mls_errc::bad_signature));
  package = original;
  package.signature.back() ^= 1;
  EXPECT_EQ(error_in(package.validate()), make_mls_error(mls_errc::bad_signature, "key_package.signature"));
  package = original;
  package.cipher_suite = 1;
  EXPECT_EQ(error_in(package.validate()), make_mls_error(mls_errc::unsupported, "key_package.cipher_suite"));
}

TEST(MlsKeyPackage, CreatesDavesKeyPackageWithFreshKeysThatValidates) {
  const auto created = create_key_package(158049329150427136u).value();
  const auto& package = created.package;
  EXPECT_TRUE(package.validate()) << package.validate().error().message();
  EXPECT_EQ(package.version, 1);
  EXPECT_EQ(package.cipher_suite, 2);
  const auto& leaf = package.leaf_node;
  EXPECT_EQ(leaf.credential.identity, from_hex("0231810709000000"));  // 158049329150427136, big-endian
  EXPECT_EQ(leaf.source, leaf_node_source::key_package);
  EXPECT_EQ(leaf.lifetime.not_before, 0u);
  EXPECT_EQ(leaf.lifetime.not_after, ~std::uint64_t{0});
  EXPECT_TRUE(leaf.extensions.empty());
  EXPECT_TRUE(package.extensions.empty());
  // Capabilities exactly [1], [2], [], [], [1], as the captured Discord package has them.
  tls_writer caps;
  leaf.capabilities.write(caps);
  EXPECT_EQ(to_hex(std::move(caps).finish().value()), "02000102000200000200" "01");
  // Three different key pairs, each private key matching its public key.
  EXPECT_EQ(p256_public_key(created.private_keys.init_key).value(), package.init_key);
  EXPECT_EQ(p256_public_key(created.private_keys.encryption_key).value(), leaf.encryption_key);
  EXPECT_EQ(p256_public_key(created.private_keys.signature_key).value(), leaf.signature_key);
  EXPECT_NE(package.init_key, leaf.encryption_key);
  EXPECT_NE(leaf.encryption_key, leaf.signature_key);
  // A new one every time.
  const auto again = create_key_package(158049329150427136u).value();
  EXPECT_NE(again.package.init_key, package.init_key);
  EXPECT_NE(again.package.ref(), package.ref());
  // It reads back from its encoding unchanged.
  EXPECT_EQ(decode<key_package>(encode(package)).value(), package);
}

TEST(MlsKeyPackage, LeafSignaturesBindGroupAndIndexForUpdateAndCommitLeaves) {
  auto created = create_key_package(42).value();
  leaf_node leaf = created.package.leaf_node;
  leaf.source = leaf_node_source::commit;
  leaf.parent_hash = bytes(32, 7);
  const bytes group{1, 2, 3};
  ASSERT_TRUE(leaf.sign(created.private_keys.signature_key, {group, leaf_index{3}}));
  EXPECT_TRUE(leaf.validate({group, leaf_index{3}}));
  EXPECT_EQ(error_in(leaf.validate({group, leaf_index{4}})), make_mls_error(mls_errc::bad_signature, "leaf_node.signature"));
  EXPECT_EQ(error_in(leaf.validate({bytes{1, 2}, leaf_index{3}})).code, make_error_code(mls_errc::bad_signature));
  // A key package leaf signs no context: any given one is ignored.
  const auto& package_leaf = created.package.leaf_node;
  EXPECT_TRUE(package_leaf.validate({group, leaf_index{9}}));
  EXPECT_EQ(decode<leaf_node>(encode(leaf)).value(), leaf);
}

TEST(MlsKeyPackage, LeafValidationWantsTheCredentialTypeAndNonDefaultExtensionsListed) {
  auto created = create_key_package(42).value();
  leaf_node leaf = created.package.leaf_node;
  leaf.extensions.push_back({0x0a0a, {}});
  ASSERT_TRUE(leaf.sign(created.private_keys.signature_key, {}));
  EXPECT_EQ(error_in(leaf.validate({})), make_mls_error(mls_errc::invalid_leaf_node, "leaf_node.capabilities.extensions"));
  leaf.capabilities.extensions.push_back(0x0a0a);
  ASSERT_TRUE(leaf.sign(created.private_keys.signature_key, {}));
  EXPECT_TRUE(leaf.validate({}));
  // application_id (1) is a default extension: carried without being listed.
  leaf.extensions.push_back({1, {'x'}});
  ASSERT_TRUE(leaf.sign(created.private_keys.signature_key, {}));
  EXPECT_TRUE(leaf.validate({}));
  leaf.capabilities.credentials = {2};
  ASSERT_TRUE(leaf.sign(created.private_keys.signature_key, {}));
  EXPECT_EQ(error_in(leaf.validate({})), make_mls_error(mls_errc::invalid_leaf_node, "leaf_node.capabilities.credentials"));
}

TEST(MlsKeyPackage, CredentialsAreBasicWithDavesBigEndianUserId) {
  const auto credential = basic_credential::for_user(0x0102030405060708u);
  EXPECT_EQ(credential.identity, (bytes{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(credential.user_id(), 0x0102030405060708u);
  EXPECT_EQ(to_hex(encode(credential)), "0001080102030405060708");
  EXPECT_EQ((basic_credential{bytes{1, 2, 3}}.user_id()), std::nullopt);
  // x509 (2) and unknown types are refused by name.
  EXPECT_EQ(error_in(decode<basic_credential>(from_hex("000203020100"))),
            make_mls_error(mls_errc::unsupported, "credential.credential_type"));
  EXPECT_EQ(error_in(decode<basic_credential>(from_hex("0a0a00"))),
            make_mls_error(mls_errc::unsupported, "credential.credential_type"));
}

TEST(MlsKeyPackage, RefusesEveryTruncationOfAKeyPackageAndTrailingBytes) {
  const bytes encoded = encode(captured_key_package());
  for (std::size_t size = 0; size < encoded.size(); ++size) {
    const auto result = decode<key_package>(bytes_view(encoded).first(size));
    ASSERT_FALSE(result) << "a " << size << "-byte prefix read";
    EXPECT_EQ(result.error().code, make_error_code(mls_errc::truncated)) << size << ": " << result.error().message();
  }
  bytes longer = encoded;
  longer.push_back(0);
  EXPECT_EQ(error_in(decode<key_package>(longer)), make_mls_error(mls_errc::trailing_bytes));
}

TEST(MlsKeyPackage, RefusesAnUndefinedLeafNodeSource) {
  auto created = create_key_package(42).value();
  bytes leaf = encode(created.package.leaf_node);
  // The source byte follows the keys, credential and capabilities: find it from the encoding of
  // the fields before it.
  tls_writer before;
  before.opaque(created.package.leaf_node.encryption_key, "");
  before.opaque(created.package.leaf_node.signature_key, "");
  created.package.leaf_node.credential.write(before);
  created.package.leaf_node.capabilities.write(before);
  const std::size_t at = std::move(before).finish().value().size();
  ASSERT_EQ(leaf[at], 1);
  leaf[at] = 4;
  EXPECT_EQ(error_in(decode<leaf_node>(leaf)), make_mls_error(mls_errc::unknown_value, "leaf_node.leaf_node_source"));
  leaf[at] = 0;
  EXPECT_EQ(error_in(decode<leaf_node>(leaf)), make_mls_error(mls_errc::unknown_value, "leaf_node.leaf_node_source"));
}

}  // namespace
}  // namespace spence::net::dave::mls
