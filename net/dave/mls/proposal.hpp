#pragma once
// A Proposal (RFC 9420 12.1): a change to the group that a later Commit applies. DAVE's voice
// gateway, the group's external sender, proposes only Add (a member joining, with its KeyPackage)
// and Remove (a member leaving or about to rejoin), and members commit only those; reading any
// other proposal type is `unsupported` (a type MLS defines) or `unknown_value`, so the group code
// never meets one.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <variant>

namespace spence::net::dave::mls {

struct add_proposal {
  mls::key_package key_package;
  friend bool operator==(const add_proposal&, const add_proposal&) = default;
};

struct remove_proposal {
  std::uint32_t removed = 0;  // the leaf index of the member removed
  friend bool operator==(const remove_proposal&, const remove_proposal&) = default;
};

struct proposal {
  std::variant<add_proposal, remove_proposal> content;

  const add_proposal* add() const { return std::get_if<add_proposal>(&content); }
  const remove_proposal* remove() const { return std::get_if<remove_proposal>(&content); }

  static mls_result<proposal> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const proposal&, const proposal&) = default;
};

// ProposalRef (RFC 9420 5.2): RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent) over the
// encoded AuthenticatedContent that carried the proposal; how a Commit names the proposals it
// applies, and how the gateway revokes them.
bytes proposal_ref(bytes_view authenticated_content);

}  // namespace spence::net::dave::mls
