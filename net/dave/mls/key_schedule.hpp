#pragma once
// MLS's key schedule (RFC 9420 8): how each epoch's secrets come from the last epoch's init_secret,
// the commit's commit_secret, the PSKs' psk_secret and the new epoch's GroupContext:
//
//   joiner_secret  = ExpandWithLabel(Extract(salt = init_secret, ikm = commit_secret), "joiner", GroupContext, Nh)
//   member_secret  = Extract(salt = joiner_secret, ikm = psk_secret)
//   welcome_secret = DeriveSecret(member_secret, "welcome")
//   epoch_secret   = ExpandWithLabel(member_secret, "epoch", GroupContext, Nh)
//   and from epoch_secret, by DeriveSecret, one secret per purpose (the table in 8), "init"
//   among them: the next epoch's init_secret.
//
// A member that commits or processes a commit starts from init_secret; one that joins by Welcome
// starts from the joiner_secret the Welcome carries. DAVE has no PSKs, so its psk_secret is
// always zero_secret(). The epoch_secret itself is used up here and not kept (RFC 9420 9.2 asks
// for secrets to be deleted once what they derive exists).
//
// Every secret is Nh = 32 bytes; an input secret of another length is bad_length. The
// GroupContext is taken serialized, as the derivations use it.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/p256.hpp"

#include <cstdint>
#include <string_view>

namespace spence::net::dave::mls {

// Nh zero bytes: the psk_secret of an epoch without PSKs (DAVE's every epoch) and the
// commit_secret of a commit without an UpdatePath (RFC 9420 8, 12.4.2).
bytes zero_secret();
// Nh fresh random bytes: a new group's first init_secret (RFC 9420 11), a commit's leaf secret.
bytes random_secret();

// welcome_secret of a Welcome's joiner_secret: a joiner needs it before it has the GroupContext,
// which is inside the GroupInfo this secret's key decrypts.
mls_result<bytes> welcome_secret(bytes_view joiner_secret, bytes_view psk_secret);

// The AEAD key and nonce that encrypt a Welcome's GroupInfo (RFC 9420 12.4.3.1):
//   welcome_key = ExpandWithLabel(welcome_secret, "key", "", Nk)
//   welcome_nonce = ExpandWithLabel(welcome_secret, "nonce", "", Nn)
struct welcome_key_nonce {
  bytes key;
  bytes nonce;
};
mls_result<welcome_key_nonce> welcome_key_and_nonce(bytes_view welcome_secret);

// One epoch's secrets.
class key_schedule {
 public:
  // The epoch a commit makes, from the previous epoch's init_secret.
  static mls_result<key_schedule> from_init_secret(bytes_view init_secret, bytes_view commit_secret,
                                                   bytes_view psk_secret, bytes_view group_context);
  // The epoch a Welcome joins, from its joiner_secret.
  static mls_result<key_schedule> from_joiner_secret(bytes_view joiner_secret, bytes_view psk_secret,
                                                     bytes_view group_context);

  const bytes& joiner_secret() const noexcept { return joiner_secret_; }  // what a Welcome sends joiners
  const bytes& welcome_secret() const noexcept { return welcome_secret_; }
  const bytes& sender_data_secret() const noexcept { return sender_data_secret_; }
  const bytes& encryption_secret() const noexcept { return encryption_secret_; }
  const bytes& exporter_secret() const noexcept { return exporter_secret_; }
  const bytes& external_secret() const noexcept { return external_secret_; }
  const bytes& confirmation_key() const noexcept { return confirmation_key_; }
  const bytes& membership_key() const noexcept { return membership_key_; }
  const bytes& resumption_psk() const noexcept { return resumption_psk_; }
  const bytes& epoch_authenticator() const noexcept { return epoch_authenticator_; }
  const bytes& init_secret() const noexcept { return init_secret_; }  // the next epoch's

  // The external key pair (RFC 9420 8): DeriveKeyPair(external_secret). Its public half is what a
  // GroupInfo's external_pub extension would carry; DAVE never joins externally, vectors check it.
  mls_result<p256_key_pair> external_key_pair() const;

  // MLS-Exporter (RFC 9420 8.5):
  //   ExpandWithLabel(DeriveSecret(exporter_secret, label), "exported", Hash(context), length)
  // DAVE's sender keys come from it. bad_length above HKDF's 255 * 32 bytes.
  mls_result<bytes> export_secret(std::string_view label, bytes_view context, std::uint16_t length) const;

  // A commit's confirmation_tag (RFC 9420 6.1): MAC(confirmation_key, confirmed_transcript_hash).
  bytes confirmation_tag(bytes_view confirmed_transcript_hash) const;
  // A PublicMessage's membership_tag (RFC 9420 6.2): MAC(membership_key, AuthenticatedContentTBM),
  // over the serialized AuthenticatedContentTBM (FramedContentTBS || FramedContentAuthData).
  bytes membership_tag(bytes_view authenticated_content_tbm) const;

 private:
  key_schedule() = default;

  bytes joiner_secret_;
  bytes welcome_secret_;
  bytes sender_data_secret_;
  bytes encryption_secret_;
  bytes exporter_secret_;
  bytes external_secret_;
  bytes confirmation_key_;
  bytes membership_key_;
  bytes resumption_psk_;
  bytes epoch_authenticator_;
  bytes init_secret_;
};

// Whether a received MAC (a confirmation or membership tag) equals the expected one, in time that
// does not depend on where they differ.
bool mac_equal(bytes_view expected, bytes_view received) noexcept;

}  // namespace spence::net::dave::mls
