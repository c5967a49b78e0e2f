#include "net/dave/mls/external_sender.hpp"

#include "net/dave/mls/protocol_constants.hpp"
#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<external_sender> external_sender::read(tls_reader& in) {
  external_sender sender;
  if (auto r = read_opaque(in, "external_sender.signature_key", sender.signature_key); !r) return r.error();
  if (auto r = read_into(in, sender.credential); !r) return r.error();
  return sender;
}

void external_sender::write(tls_writer& out) const {
  out.opaque(signature_key, "external_sender.signature_key");
  credential.write(out);
}

extension external_senders_extension(const std::vector<external_sender>& senders) {
  tls_writer out;
  write_list(out, "external_senders", senders);
  return {extension_type_external_senders, std::move(out).finish().value()};
}

mls_result<std::vector<external_sender>> external_senders_of(const extension_list& extensions) {
  for (const auto& candidate : extensions) {
    if (candidate.extension_type != extension_type_external_senders) continue;
    tls_reader in(candidate.extension_data);
    auto senders = read_list<external_sender>(in, "external_senders");
    if (!senders) return senders.error();
    if (auto end = in.finish(); !end) return end.error();
    return senders;
  }
  return std::vector<external_sender>{};
}

}  // namespace spence::net::dave::mls
