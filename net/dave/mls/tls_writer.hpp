#pragma once
// Writes the TLS presentation language as MLS uses it (RFC 9420 2.1), the mirror of tls_reader:
// big-endian integers, fixed byte strings, <V>-prefixed vectors in the shortest length form, and
// optional<T> presence bytes. Its output reads back with tls_reader to the same values.
//
// The one thing that can go wrong is a vector longer than a <V> length can say (2^30 - 1 bytes):
// the writer then remembers the first such field and finish() returns it, so a message is built
// with plain calls and checked once.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace spence::net::dave::mls {

class tls_writer {
 public:
  void u8(std::uint8_t value) { big_endian(value, 1); }
  void u16(std::uint16_t value) { big_endian(value, 2); }
  void u32(std::uint32_t value) { big_endian(value, 4); }
  void u64(std::uint64_t value) { big_endian(value, 8); }
  // A <V> length in its shortest form; length_too_large (at `field`) from 2^30 on.
  void varint(std::uint64_t value, std::string_view field);
  void fixed(bytes_view value) { out_.insert(out_.end(), value.begin(), value.end()); }
  // opaque field<V>.
  void opaque(bytes_view value, std::string_view field);
  // opaque field<V> holding text's bytes (labels).
  void opaque_text(std::string_view text, std::string_view field);
  // T field<V>: `write_elements(tls_writer&)` writes the vector's contents; this prefixes their
  // length.
  template <typename WriteElements>
  void vector(std::string_view field, WriteElements&& write_elements) {
    tls_writer inner;
    std::forward<WriteElements>(write_elements)(inner);
    if (inner.error_ && !error_) error_ = std::move(inner.error_);
    opaque(inner.out_, field);
  }
  // optional<T>'s presence byte; the caller writes T after it when present.
  void present(bool value) { u8(value ? 1 : 0); }

  // The bytes written, or the first field whose vector was too long.
  mls_result<bytes> finish() &&;

 private:
  void big_endian(std::uint64_t value, int size);

  bytes out_;
  std::optional<mls_error> error_;
};

}  // namespace spence::net::dave::mls
