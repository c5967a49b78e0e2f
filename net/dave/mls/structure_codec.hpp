#pragma once
// Reading and writing whole MLS structures and lists of them on tls_reader and tls_writer. A
// structure T has `static mls_result<T> read(tls_reader&)` and `void write(tls_writer&) const`;
// these helpers add what every structure needs the same way: a top-level decode that refuses
// trailing bytes, an encode, and `T list<V>` vectors of structures or of integers.
//
// Encoding cannot fail for what spence holds: every structure was read from a message or built
// here, far below the 1 GiB a <V> vector can hold, so encode() returns the bytes.

#include "net/dave/mls/bytes.hpp"
#include "net/dave/mls/mls_error.hpp"
#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <cstdint>
#include <string_view>
#include <type_traits>
#include <vector>

namespace spence::net::dave::mls {

// T from exactly `input`: trailing_bytes if anything follows it.
template <typename T>
mls_result<T> decode(bytes_view input) {
  tls_reader in(input);
  auto value = T::read(in);
  if (!value) return value.error();
  if (auto end = in.finish(); !end) return end.error();
  return value;
}

template <typename T>
bytes encode(const T& value) {
  tls_writer out;
  value.write(out);
  return std::move(out).finish().value();
}

// Reading into a field of a structure being built: the error, or the field filled. Lets read()
// say each field in one line: `if (auto r = read_opaque(in, "x.key", x.key); !r) return r.error();`.
inline mls_result<void> read_opaque(tls_reader& in, std::string_view field, bytes& into) {
  auto value = in.opaque(field);
  if (!value) return value.error();
  into.assign(value->begin(), value->end());
  return {};
}

template <typename T>
mls_result<void> read_into(tls_reader& in, T& into) {
  auto value = T::read(in);
  if (!value) return value.error();
  into = *std::move(value);
  return {};
}

// T field<V> for a structure T.
template <typename T>
mls_result<std::vector<T>> read_list(tls_reader& in, std::string_view field) {
  auto body = in.vector(field);
  if (!body) return body.error();
  std::vector<T> items;
  while (!body->empty()) {
    auto item = T::read(*body);
    if (!item) return item.error();
    items.push_back(*std::move(item));
  }
  return items;
}

template <typename T>
mls_result<void> read_list_into(tls_reader& in, std::string_view field, std::vector<T>& into) {
  auto items = read_list<T>(in, field);
  if (!items) return items.error();
  into = *std::move(items);
  return {};
}

template <typename T>
void write_list(tls_writer& out, std::string_view field, const std::vector<T>& items) {
  out.vector(field, [&](tls_writer& elements) {
    for (const auto& item : items) item.write(elements);
  });
}

// uint16 field<V> or uint32 field<V>.
template <typename Int>
  requires std::is_same_v<Int, std::uint16_t> || std::is_same_v<Int, std::uint32_t>
mls_result<std::vector<Int>> read_integers(tls_reader& in, std::string_view field) {
  auto body = in.vector(field);
  if (!body) return body.error();
  std::vector<Int> items;
  while (!body->empty()) {
    mls_result<Int> item = [&] {
      if constexpr (sizeof(Int) == 2) return body->u16({});
      else return body->u32({});
    }();
    if (!item) return item.error();
    items.push_back(*item);
  }
  return items;
}

template <typename Int>
  requires std::is_same_v<Int, std::uint16_t> || std::is_same_v<Int, std::uint32_t>
void write_integers(tls_writer& out, std::string_view field, const std::vector<Int>& items) {
  out.vector(field, [&](tls_writer& elements) {
    for (const Int item : items) {
      if constexpr (sizeof(Int) == 2) elements.u16(item);
      else elements.u32(item);
    }
  });
}

}  // namespace spence::net::dave::mls
