#pragma once
// A Commit (RFC 9420 12.4): the proposals it applies, each inline or by ProposalRef, and the
// committer's UpdatePath when the proposals require one (any Remove; DAVE's add-only commits carry
// none). DAVE's members commit only by reference, all the proposals the gateway has queued; a
// received commit holding an inline proposal is read (so its refusal can name it) and refused by
// the group code.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/proposal.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"
#include "net/dave/mls/update_path.hpp"

#include <optional>
#include <variant>
#include <vector>

namespace spence::net::dave::mls {

struct proposal_or_ref {
  std::variant<proposal, bytes> content;  // the proposal inline, or its ProposalRef

  const bytes* reference() const { return std::get_if<bytes>(&content); }

  static mls_result<proposal_or_ref> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const proposal_or_ref&, const proposal_or_ref&) = default;
};

struct commit {
  std::vector<proposal_or_ref> proposals;
  std::optional<update_path> path;

  static mls_result<commit> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const commit&, const commit&) = default;
};

}  // namespace spence::net::dave::mls
