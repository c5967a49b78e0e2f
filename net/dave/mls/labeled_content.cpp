#include "net/dave/mls/labeled_content.hpp"

#include "net/dave/mls/tls_writer.hpp"

namespace spence::net::dave::mls {

std::string mls_label(std::string_view label) { return "MLS 1.0 " + std::string(label); }

bytes labeled_content(std::string_view label, bytes_view content) {
  tls_writer out;
  out.opaque_text(mls_label(label), "label");
  out.opaque(content, "content");
  // Labels are short and contents are MLS structures, far below a <V> vector's 1 GiB.
  return std::move(out).finish().value();
}

}  // namespace spence::net::dave::mls
