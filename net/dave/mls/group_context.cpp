#include "net/dave/mls/group_context.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<group_context> group_context::read(tls_reader& in) {
  group_context context;
  auto version = in.u16("group_context.version");
  if (!version) return version.error();
  context.version = *version;
  auto cipher_suite = in.u16("group_context.cipher_suite");
  if (!cipher_suite) return cipher_suite.error();
  context.cipher_suite = *cipher_suite;
  if (auto r = read_opaque(in, "group_context.group_id", context.group_id); !r) return r.error();
  auto epoch = in.u64("group_context.epoch");
  if (!epoch) return epoch.error();
  context.epoch = *epoch;
  if (auto r = read_opaque(in, "group_context.tree_hash", context.tree_hash); !r) return r.error();
  if (auto r = read_opaque(in, "group_context.confirmed_transcript_hash", context.confirmed_transcript_hash); !r) {
    return r.error();
  }
  if (auto r = read_list_into(in, "group_context.extensions", context.extensions); !r) return r.error();
  return context;
}

void group_context::write(tls_writer& out) const {
  out.u16(version);
  out.u16(cipher_suite);
  out.opaque(group_id, "group_context.group_id");
  out.u64(epoch);
  out.opaque(tree_hash, "group_context.tree_hash");
  out.opaque(confirmed_transcript_hash, "group_context.confirmed_transcript_hash");
  write_list(out, "group_context.extensions", extensions);
}

}  // namespace spence::net::dave::mls
