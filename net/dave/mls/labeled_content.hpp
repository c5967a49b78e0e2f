#pragma once
// The labelled input MLS signs, encrypts to and derives from (RFC 9420 5.1.2, 5.1.3, 8):
//   struct { opaque label<V> = "MLS 1.0 " + Label; opaque content<V> = Content; }
// SignContent and EncryptContext are exactly this; KDFLabel is this after a uint16 length. The
// prefix keeps a value signed or derived for one purpose from passing for another.

#include "net/dave/mls/bytes.hpp"

#include <string>
#include <string_view>

namespace spence::net::dave::mls {

// "MLS 1.0 " + label.
std::string mls_label(std::string_view label);
bytes labeled_content(std::string_view label, bytes_view content);

}  // namespace spence::net::dave::mls
