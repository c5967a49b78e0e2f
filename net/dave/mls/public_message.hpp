#pragma once
// PublicMessage (RFC 9420 6.2): FramedContent with its authentication in the clear, the framing
// of every DAVE handshake message: the gateway's Add and Remove proposals (external sender, signed,
// no membership tag) and members' commits (signed, with a confirmation tag and a membership tag).
//
//   signature        = SignWithLabel(sender key, "FramedContentTBS", FramedContentTBS)
//     FramedContentTBS = version || wire_format || FramedContent || GroupContext (member senders only)
//   confirmation_tag = the new epoch's MAC over the confirmed transcript hash (commits only)
//   membership_tag   = the sending epoch's MAC over AuthenticatedContentTBM (member senders only)
//     AuthenticatedContentTBM = FramedContentTBS || FramedContentAuthData
//
// A commit is signed first, its confirmation tag computed from the epoch the signature leads to,
// then its membership tag over both: the setters follow that order. What these tags key on belongs
// to the group state; this type frames, signs and verifies.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/framed_content.hpp"
#include "net/dave/mls/group_context.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <optional>

namespace spence::net::dave::mls {

struct public_message {
  framed_content content;
  bytes signature;
  std::optional<bytes> confirmation_tag;  // present exactly when the content is a commit
  std::optional<bytes> membership_tag;    // present exactly when the sender is a member

  // FramedContentTBS; `context` is the group's current GroupContext, included for member senders.
  bytes to_be_signed(const group_context& context) const;
  mls_result<void> sign(bytes_view signature_private_key, const group_context& context);
  // bad_signature when the signature does not verify under `signature_public_key`.
  mls_result<void> verify(bytes_view signature_public_key, const group_context& context) const;

  // AuthenticatedContentTBM, what the membership tag MACs.
  bytes to_be_maced(const group_context& context) const;
  // AuthenticatedContent (wire_format || FramedContent || FramedContentAuthData): what a
  // ProposalRef hashes.
  bytes authenticated_content() const;
  // ConfirmedTranscriptHashInput (wire_format || FramedContent || signature<V>): what a commit
  // adds to the transcript.
  bytes confirmed_transcript_hash_input() const;

  static mls_result<public_message> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const public_message&, const public_message&) = default;

 private:
  void write_auth_data(tls_writer& out) const;
};

// A proposal from external sender `sender_index` (DAVE's voice gateway: 0) for the group's epoch,
// signed with its key.
mls_result<public_message> external_proposal(bytes group_id, std::uint64_t epoch, proposal body,
                                             bytes_view signature_private_key, std::uint32_t sender_index = 0);

}  // namespace spence::net::dave::mls
