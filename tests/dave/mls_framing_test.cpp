// MLS message framing: proposals, commits, FramedContent, PublicMessage and MLSMessage read and
// written back byte for byte (the working group's messages vectors, and the captured DAVE
// payloads, whose external-sender signature verifies and whose ProposalRef is the one the gateway
// revoked); member messages signed and verified; malformed and unsupported input refused with the
// field it concerns.

#include "net/dave/mls/commit.hpp"
#include "net/dave/mls/external_sender.hpp"
#include "net/dave/mls/framed_content.hpp"
#include "net/dave/mls/group_secrets.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/mls_message.hpp"
#include "net/dave/mls/hpke.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/public_message.hpp"
#include "net/dave/mls/structure_codec.hpp"

#include "tests/dave/mls_vectors.hpp"

#include <map>

namespace spence::net::dave::mls {
namespace {

using test::captured_payload;
using test::error_in;
using test::from_hex;
using test::hex_field;
using test::to_hex;

// The op-27 append body's MLSMessages (line 2: one external Add).
std::vector<mls_message> captured_proposals() {
  const bytes payload = captured_payload(2);
  tls_reader in(payload);
  auto messages = read_list<mls_message>(in, "proposal_messages");
  EXPECT_TRUE(messages) << messages.error().message();
  EXPECT_TRUE(in.finish());
  return messages ? *messages : std::vector<mls_message>{};
}

TEST(MlsFraming, TheCapturedExternalSenderAndAddProposalVerifyAndGiveTheRevokedRef) {
  auto sender = decode<external_sender>(captured_payload(1));
  ASSERT_TRUE(sender) << sender.error().message();
  EXPECT_EQ(sender->signature_key.size(), 65u);
  EXPECT_EQ(sender->credential.identity, bytes{0});

  const auto messages = captured_proposals();
  ASSERT_EQ(messages.size(), 1u);
  const auto* message = messages[0].public_message();
  ASSERT_NE(message, nullptr);
  EXPECT_EQ(to_hex(message->content.group_id), "0cde77eadc823033");
  EXPECT_EQ(message->content.epoch, 0u);
  EXPECT_EQ(message->content.sender, (mls::sender{sender_type::external, 0}));
  EXPECT_FALSE(message->membership_tag);
  EXPECT_FALSE(message->confirmation_tag);
  const auto* add = message->content.proposal_content()->add();
  ASSERT_NE(add, nullptr);
  EXPECT_EQ(add->key_package.leaf_node.credential.user_id(), 158533742254751744u);
  EXPECT_TRUE(add->key_package.validate());

  // An external sender's FramedContentTBS holds no GroupContext: any context verifies.
  EXPECT_TRUE(message->verify(sender->signature_key, group_context{}));
  const bytes ref = proposal_ref(message->authenticated_content());
  EXPECT_EQ(to_hex(ref), "62386ffb20b28f556b2465c0a2520ba2b074fca00e94b2fdebc0496d544cd6c0");

  // Line 3, the op-27 revoke body, names that ref.
  const bytes revoke = captured_payload(3);
  tls_reader in(revoke);
  auto refs = in.vector("proposal_refs").value();
  EXPECT_EQ(refs.opaque("ref").value().size(), 32u);
  EXPECT_TRUE(refs.finish());
  EXPECT_EQ(to_hex(bytes_view(revoke).subspan(2)), to_hex(ref));

  // Everything writes back to the captured bytes.
  tls_writer out;
  write_list(out, "proposal_messages", messages);
  EXPECT_EQ(std::move(out).finish().value(), captured_payload(2));
  EXPECT_EQ(encode(*sender), captured_payload(1));
  test::report_vectors("captured op-25/op-27 payloads (external signature, ProposalRef)", 3);
}

TEST(MlsFraming, ATamperedExternalProposalFailsItsSignature) {
  auto sender = decode<external_sender>(captured_payload(1)).value();
  auto message = *captured_proposals().at(0).public_message();
  message.content.epoch = 1;
  EXPECT_EQ(error_in(message.verify(sender.signature_key, {})),
            make_mls_error(mls_errc::bad_signature, "public_message.signature"));
}

// Reads `encoded` as T and writes it back; unsupported (a feature DAVE does not use) is a skip
// with its field, anything else a failure.
template <typename T>
bool round_trips(const bytes& encoded, std::map<std::string, int>& skipped) {
  auto value = decode<T>(encoded);
  if (!value && value.error().code == make_error_code(mls_errc::unsupported)) {
    ++skipped[value.error().field];
    return false;
  }
  EXPECT_TRUE(value) << value.error().message();
  if (value) EXPECT_EQ(to_hex(encode(*value)), to_hex(encoded));
  return value.has_value();
}

TEST(MlsFraming, TheMessagesVectorsRoundTripWhereDaveUsesTheirFeatures) {
  const auto vectors = test::load_vectors("messages.json");
  int ran = 0;
  std::map<std::string, int> skipped;
  for (const auto& vector : vectors.as_array()) {
    // The *_proposal fields hold a proposal's body: Add is a KeyPackage, Remove a leaf index.
    ran += round_trips<key_package>(hex_field(vector, "add_proposal"), skipped);
    const bytes remove = hex_field(vector, "remove_proposal");
    tls_writer typed;
    typed.u16(3);  // remove
    typed.fixed(remove);
    ran += round_trips<proposal>(std::move(typed).finish().value(), skipped);
    ran += round_trips<commit>(hex_field(vector, "commit"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "public_message_proposal"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "public_message_commit"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "public_message_application"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "mls_key_package"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "mls_welcome"), skipped);
    ran += round_trips<mls_message>(hex_field(vector, "mls_group_info"), skipped);
    ran += round_trips<group_secrets>(hex_field(vector, "group_secrets"), skipped);
  }
  std::string why;
  for (const auto& [field, count] : skipped) why += std::to_string(count) + " unsupported at " + field + "; ";
  why += "the update, psk, reinit, external_init and gce proposal bodies and private_message (not in DAVE)";
  test::report_vectors("messages.json (proposal, commit, public_message, key_package, welcome, group_info, group_secrets)",
                       ran, why);
  EXPECT_GT(ran, 2000);
}

// A member's signed commit with its tags, as the group code builds one.
public_message member_commit(const group_context& context, bytes_view private_key) {
  public_message message;
  message.content.group_id = context.group_id;
  message.content.epoch = context.epoch;
  message.content.sender = {sender_type::member, 1};
  message.content.content = commit{{proposal_or_ref{bytes(32, 7)}}, std::nullopt};
  EXPECT_TRUE(message.sign(private_key, context));
  message.confirmation_tag = bytes(32, 1);
  message.membership_tag = bytes(32, 2);
  return message;
}

TEST(MlsFraming, AMembersSignatureCoversTheGroupContextAndTheMessageRoundTrips) {
  const auto signer = generate_key_pair();
  group_context context;
  context.group_id = {1, 2, 3, 4, 5, 6, 7, 8};
  context.epoch = 3;
  context.tree_hash = bytes(32, 9);
  const public_message message = member_commit(context, signer.private_key);
  EXPECT_TRUE(message.verify(signer.public_key, context));
  group_context other = context;
  other.tree_hash[0] ^= 1;
  EXPECT_EQ(error_in(message.verify(signer.public_key, other)).code, make_error_code(mls_errc::bad_signature));

  const bytes wire = encode(mls_message{message});
  auto read = decode<mls_message>(wire);
  ASSERT_TRUE(read) << read.error().message();
  EXPECT_EQ(*read->public_message(), message);
  // The membership tag MACs what is signed plus the auth data; the transcript input stops at the
  // signature; the ref input is the AuthenticatedContent.
  const bytes tbm = message.to_be_maced(context);
  const bytes tbs = message.to_be_signed(context);
  EXPECT_TRUE(std::equal(tbs.begin(), tbs.end(), tbm.begin()));
  tls_writer auth_data;
  auth_data.opaque(message.signature, "signature");
  auth_data.opaque(*message.confirmation_tag, "confirmation_tag");
  const bytes auth = std::move(auth_data).finish().value();
  EXPECT_EQ(tbm.size(), tbs.size() + auth.size());
  EXPECT_TRUE(std::equal(auth.begin(), auth.end(), tbm.end() - static_cast<std::ptrdiff_t>(auth.size())));
  EXPECT_EQ(message.authenticated_content().size(), message.confirmed_transcript_hash_input().size() + 33);
}

TEST(MlsFraming, RefusesEveryTruncationOfAMessageAndTrailingBytes) {
  const auto signer = generate_key_pair();
  const bytes wire = encode(mls_message{member_commit({}, signer.private_key)});
  for (std::size_t length = 0; length < wire.size(); ++length) {
    EXPECT_EQ(error_in(decode<mls_message>(bytes_view(wire).first(length))).code, make_error_code(mls_errc::truncated))
        << length;
  }
  bytes longer = wire;
  longer.push_back(0);
  EXPECT_EQ(error_in(decode<mls_message>(longer)).code, make_error_code(mls_errc::trailing_bytes));
}

TEST(MlsFraming, RefusesWireFormatsSendersAndContentTypesOutsideDave) {
  const auto signer = generate_key_pair();
  const bytes wire = encode(mls_message{member_commit({}, signer.private_key)});
  auto with = [&](std::size_t offset, std::uint8_t value) {
    bytes changed = wire;
    changed.at(offset) = value;
    return decode<mls_message>(changed);
  };
  // version(2) wire_format(2) group_id(1+0) epoch(8) sender_type(1) index(4) aad(1) content_type(1)
  EXPECT_EQ(error_in(with(1, 2)), make_mls_error(mls_errc::unsupported, "mls_message.version"));
  EXPECT_EQ(error_in(with(3, 2)), make_mls_error(mls_errc::unsupported, "mls_message.wire_format"));
  EXPECT_EQ(error_in(with(3, 9)), make_mls_error(mls_errc::unknown_value, "mls_message.wire_format"));
  EXPECT_EQ(error_in(with(13, 3)), make_mls_error(mls_errc::unsupported, "sender.sender_type"));
  EXPECT_EQ(error_in(with(13, 9)), make_mls_error(mls_errc::unknown_value, "sender.sender_type"));
  EXPECT_EQ(error_in(with(19, 4)), make_mls_error(mls_errc::unknown_value, "framed_content.content_type"));
  // The commit's one ProposalOrRef: type byte after the proposals vector's length.
  EXPECT_EQ(error_in(with(21, 3)), make_mls_error(mls_errc::unknown_value, "proposal_or_ref.type"));
}

TEST(MlsFraming, ProposalTypesDaveNeverProposesAreUnsupportedNotMisread) {
  for (std::uint16_t type : {2, 4, 5, 6, 7}) {  // update, psk, reinit, external_init, group_context_extensions
    tls_writer out;
    out.u16(type);
    out.u32(0);
    EXPECT_EQ(error_in(decode<proposal>(std::move(out).finish().value())),
              make_mls_error(mls_errc::unsupported, "proposal.proposal_type"));
  }
  EXPECT_EQ(error_in(decode<proposal>(bytes{0, 0})), make_mls_error(mls_errc::unknown_value, "proposal.proposal_type"));
  EXPECT_EQ(error_in(decode<proposal>(bytes{0, 8})), make_mls_error(mls_errc::unknown_value, "proposal.proposal_type"));
}

TEST(MlsFraming, TheExternalSendersExtensionRoundTripsAndRefusesGarbage) {
  const auto sender = decode<external_sender>(captured_payload(1)).value();
  const extension_list extensions{{1, {}}, external_senders_extension({sender})};
  auto senders = external_senders_of(extensions);
  ASSERT_TRUE(senders);
  EXPECT_EQ(*senders, std::vector<external_sender>{sender});
  EXPECT_TRUE(external_senders_of({}).value().empty());
  extension broken = external_senders_extension({sender});
  broken.extension_data.push_back(0);
  EXPECT_EQ(error_in(external_senders_of({broken})).code, make_error_code(mls_errc::trailing_bytes));
}

}  // namespace
}  // namespace spence::net::dave::mls
