#include "net/dave/mls/tls_writer.hpp"

#include <string>

namespace spence::net::dave::mls {

void tls_writer::big_endian(std::uint64_t value, int size) {
  for (int shift = 8 * (size - 1); shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(value >> shift));
}

void tls_writer::varint(std::uint64_t value, std::string_view field) {
  if (value < 64) {
    big_endian(value, 1);
  } else if (value < 16384) {
    big_endian(0x4000 | value, 2);
  } else if (value < (std::uint64_t{1} << 30)) {
    big_endian(0x8000'0000 | value, 4);
  } else if (!error_) {
    error_ = make_mls_error(mls_errc::length_too_large, std::string(field));
  }
}

void tls_writer::opaque(bytes_view value, std::string_view field) {
  varint(value.size(), field);
  fixed(value);
}

void tls_writer::opaque_text(std::string_view text, std::string_view field) {
  opaque(bytes_view(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()), field);
}

mls_result<bytes> tls_writer::finish() && {
  if (error_) return *std::move(error_);
  return std::move(out_);
}

}  // namespace spence::net::dave::mls
