#include "net/dave/mls/tls_reader.hpp"

namespace spence::net::dave::mls {

std::string tls_reader::name(std::string_view field) const {
  if (context_.empty()) return std::string(field);
  if (field.empty()) return context_;
  return context_ + "." + std::string(field);
}

mls_error tls_reader::error(mls_errc code, std::string_view field) const { return make_mls_error(code, name(field)); }

template <typename T>
mls_result<T> tls_reader::big_endian(std::string_view field) {
  if (rest_.size() < sizeof(T)) return error(mls_errc::truncated, field);
  T value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) value = static_cast<T>(value << 8 | rest_[i]);
  rest_ = rest_.subspan(sizeof(T));
  return value;
}

mls_result<std::uint8_t> tls_reader::u8(std::string_view field) { return big_endian<std::uint8_t>(field); }
mls_result<std::uint16_t> tls_reader::u16(std::string_view field) { return big_endian<std::uint16_t>(field); }
mls_result<std::uint32_t> tls_reader::u32(std::string_view field) { return big_endian<std::uint32_t>(field); }
mls_result<std::uint64_t> tls_reader::u64(std::string_view field) { return big_endian<std::uint64_t>(field); }

mls_result<std::uint32_t> tls_reader::varint(std::string_view field) {
  if (rest_.empty()) return error(mls_errc::truncated, field);
  const unsigned prefix = rest_[0] >> 6;
  if (prefix == 3) return error(mls_errc::bad_varint, field);
  const std::size_t size = std::size_t{1} << prefix;  // 1, 2 or 4 bytes
  if (rest_.size() < size) return error(mls_errc::truncated, field);
  std::uint32_t value = rest_[0] & 0x3fu;
  for (std::size_t i = 1; i < size; ++i) value = value << 8 | rest_[i];
  // The shortest form: a 2-byte length holds at least 64, a 4-byte one at least 2^14.
  const std::uint32_t smallest = size == 1 ? 0 : size == 2 ? 64 : 16384;
  if (value < smallest) return error(mls_errc::non_minimal_varint, field);
  rest_ = rest_.subspan(size);
  return value;
}

mls_result<bytes_view> tls_reader::fixed(std::size_t size, std::string_view field) {
  if (rest_.size() < size) return error(mls_errc::truncated, field);
  const bytes_view value = rest_.first(size);
  rest_ = rest_.subspan(size);
  return value;
}

mls_result<bytes_view> tls_reader::opaque(std::string_view field) {
  const auto before = rest_;
  auto length = varint(field);
  if (!length) return length.error();
  auto value = fixed(*length, field);
  if (!value) rest_ = before;
  return value;
}

mls_result<tls_reader> tls_reader::vector(std::string_view field) {
  auto body = opaque(field);
  if (!body) return body.error();
  return tls_reader(*body, name(field));
}

mls_result<bool> tls_reader::present(std::string_view field) {
  if (rest_.empty()) return error(mls_errc::truncated, field);
  if (rest_[0] > 1) return error(mls_errc::bad_optional, field);
  const bool value = rest_[0] == 1;
  rest_ = rest_.subspan(1);
  return value;
}

mls_result<void> tls_reader::finish() const {
  if (!rest_.empty()) return error(mls_errc::trailing_bytes, {});
  return {};
}

}  // namespace spence::net::dave::mls
