#pragma once
// Reads the TLS presentation language as MLS uses it (RFC 9420 2.1): big-endian integers, fixed
// byte strings, and vectors whose length is an MLS variable-length integer (<V>: 1, 2 or 4 bytes,
// top two bits 00, 01, 10; the shortest form required), optional<T> presence bytes.
//
// Every MLS message spence reads comes from the voice gateway or another member, so a reader never
// throws and never reads past its span: each call returns the value or an mls_error naming the
// field, prefixed with the vector it is in ("proposals.proposal_type"). After an error the reader
// stays where it was; callers stop at the first one. Views it returns point into the input.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spence::net::dave::mls {

class tls_reader {
 public:
  explicit tls_reader(bytes_view input, std::string context = {}) : rest_(input), context_(std::move(context)) {}

  mls_result<std::uint8_t> u8(std::string_view field);
  mls_result<std::uint16_t> u16(std::string_view field);
  mls_result<std::uint32_t> u32(std::string_view field);
  mls_result<std::uint64_t> u64(std::string_view field);
  // A <V> length (RFC 9420 2.1.2): at most 2^30 - 1, in its shortest form.
  mls_result<std::uint32_t> varint(std::string_view field);
  // `size` bytes as they are (a fixed-length array such as opaque[32]).
  mls_result<bytes_view> fixed(std::size_t size, std::string_view field);
  // opaque field<V>: the bytes after the length.
  mls_result<bytes_view> opaque(std::string_view field);
  // T field<V> for a structure T: a reader over the vector's bytes whose errors name `field`. Read
  // its elements until it is empty().
  mls_result<tls_reader> vector(std::string_view field);
  // optional<T>: whether T follows (presence byte 1) or not (0).
  mls_result<bool> present(std::string_view field);

  // Nothing may follow a complete structure: trailing_bytes otherwise.
  mls_result<void> finish() const;

  bool empty() const noexcept { return rest_.empty(); }
  std::size_t remaining() const noexcept { return rest_.size(); }

 private:
  template <typename T>
  mls_result<T> big_endian(std::string_view field);
  mls_error error(mls_errc code, std::string_view field) const;
  std::string name(std::string_view field) const;

  bytes_view rest_;
  std::string context_;  // the enclosing vectors, "proposals"; empty at the top level
};

}  // namespace spence::net::dave::mls
