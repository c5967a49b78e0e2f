#include "net/dave/mls/commit.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {
namespace {

// ProposalOrRefType (RFC 9420 12.4).
constexpr std::uint8_t proposal_or_ref_proposal = 1;
constexpr std::uint8_t proposal_or_ref_reference = 2;

}  // namespace

mls_result<proposal_or_ref> proposal_or_ref::read(tls_reader& in) {
  auto type = in.u8("proposal_or_ref.type");
  if (!type) return type.error();
  if (*type == proposal_or_ref_proposal) {
    auto inline_proposal = proposal::read(in);
    if (!inline_proposal) return inline_proposal.error();
    return proposal_or_ref{*std::move(inline_proposal)};
  }
  if (*type != proposal_or_ref_reference) return make_mls_error(mls_errc::unknown_value, "proposal_or_ref.type");
  bytes ref;
  if (auto r = read_opaque(in, "proposal_or_ref.reference", ref); !r) return r.error();
  return proposal_or_ref{std::move(ref)};
}

void proposal_or_ref::write(tls_writer& out) const {
  if (const auto* ref = reference()) {
    out.u8(proposal_or_ref_reference);
    out.opaque(*ref, "proposal_or_ref.reference");
  } else {
    out.u8(proposal_or_ref_proposal);
    std::get<proposal>(content).write(out);
  }
}

mls_result<commit> commit::read(tls_reader& in) {
  commit result;
  if (auto r = read_list_into(in, "commit.proposals", result.proposals); !r) return r.error();
  auto has_path = in.present("commit.path");
  if (!has_path) return has_path.error();
  if (*has_path) {
    auto path = update_path::read(in);
    if (!path) return path.error();
    result.path = *std::move(path);
  }
  return result;
}

void commit::write(tls_writer& out) const {
  write_list(out, "commit.proposals", proposals);
  out.present(path.has_value());
  if (path) path->write(out);
}

}  // namespace spence::net::dave::mls
