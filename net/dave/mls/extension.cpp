#include "net/dave/mls/extension.hpp"

#include "net/dave/mls/structure_codec.hpp"

namespace spence::net::dave::mls {

mls_result<extension> extension::read(tls_reader& in) {
  auto type = in.u16("extension_type");
  if (!type) return type.error();
  extension result{*type, {}};
  if (auto r = read_opaque(in, "extension_data", result.extension_data); !r) return r.error();
  return result;
}

void extension::write(tls_writer& out) const {
  out.u16(extension_type);
  out.opaque(extension_data, "extension_data");
}

}  // namespace spence::net::dave::mls
