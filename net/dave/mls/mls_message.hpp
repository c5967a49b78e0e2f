#pragma once
// MLSMessage (RFC 9420 6): the envelope of a message between MLS clients, a protocol version and a
// wire format, then the body. DAVE wraps its PublicMessages (the gateway's proposals in op 27,
// commits in ops 28 and 29) in it; key packages and welcomes travel bare. PrivateMessage is never
// used by DAVE and reads as `unsupported`.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/group_info.hpp"
#include "net/dave/mls/key_package.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/public_message.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"
#include "net/dave/mls/welcome.hpp"

#include <variant>

namespace spence::net::dave::mls {

struct mls_message {
  std::variant<public_message, key_package, welcome, group_info> body;

  const mls::public_message* public_message() const { return std::get_if<mls::public_message>(&body); }
  const mls::key_package* key_package() const { return std::get_if<mls::key_package>(&body); }
  const mls::welcome* welcome() const { return std::get_if<mls::welcome>(&body); }

  static mls_result<mls_message> read(tls_reader& in);
  void write(tls_writer& out) const;
  friend bool operator==(const mls_message&, const mls_message&) = default;
};

}  // namespace spence::net::dave::mls
