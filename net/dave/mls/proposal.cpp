#include "net/dave/mls/proposal.hpp"

#include "net/dave/mls/hash.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {
namespace {

// ProposalType (RFC 9420 17.4). Only add and remove are read; the others are named so a message
// carrying one is refused as unsupported rather than as garbage.
constexpr std::uint16_t proposal_type_add = 1;
constexpr std::uint16_t proposal_type_remove = 3;
constexpr std::uint16_t last_rfc_proposal_type = 7;  // group_context_extensions

}  // namespace

mls_result<proposal> proposal::read(tls_reader& in) {
  auto type = in.u16("proposal.proposal_type");
  if (!type) return type.error();
  switch (*type) {
    case proposal_type_add: {
      add_proposal add;
      if (auto r = read_into(in, add.key_package); !r) return r.error();
      return proposal{add};
    }
    case proposal_type_remove: {
      auto removed = in.u32("proposal.remove.removed");
      if (!removed) return removed.error();
      return proposal{remove_proposal{*removed}};
    }
    default:
      if (*type != 0 && *type <= last_rfc_proposal_type) {
        return make_mls_error(mls_errc::unsupported, "proposal.proposal_type");
      }
      return make_mls_error(mls_errc::unknown_value, "proposal.proposal_type");
  }
}

void proposal::write(tls_writer& out) const {
  if (const auto* a = add()) {
    out.u16(proposal_type_add);
    a->key_package.write(out);
  } else {
    out.u16(proposal_type_remove);
    out.u32(remove()->removed);
  }
}

bytes proposal_ref(bytes_view authenticated_content) {
  return ref_hash("MLS 1.0 Proposal Reference", authenticated_content);
}

}  // namespace spence::net::dave::mls
