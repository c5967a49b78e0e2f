// libFuzzer target for the MLS wire codec (net/dave/mls/tls_reader). Beyond "no crash":
// - the input (after a first byte choosing a depth of 0 to 3) read as nested <V> vectors either
//   fails, or writes back byte for byte: the shortest-length rule makes the encoding canonical;
// - read field by field (each field's kind chosen by a byte of the input), every read either
//   consumes exactly its field's size, or fails and consumes nothing; a varint consumes the size
//   the writer would give its value.

#include "net/dave/mls/tls_reader.hpp"
#include "net/dave/mls/tls_writer.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

namespace {

using spence::net::dave::mls::bytes;
using spence::net::dave::mls::bytes_view;
using spence::net::dave::mls::tls_reader;
using spence::net::dave::mls::tls_writer;

bool copy_nested(tls_reader& in, tls_writer& out, int depth) {
  if (depth == 0) {
    auto leaf = in.opaque("leaf");
    if (leaf) out.opaque(*leaf, "leaf");
    return static_cast<bool>(leaf);
  }
  auto inner = in.vector("level");
  if (!inner) return false;
  bool ok = true;
  out.vector("level", [&](tls_writer& elements) {
    while (ok && !inner->empty()) ok = copy_nested(*inner, elements, depth - 1);
  });
  return ok;
}

void check_round_trip(bytes_view input, int depth) {
  tls_reader in(input);
  tls_writer out;
  while (!in.empty()) {
    if (!copy_nested(in, out, depth)) return;
  }
  if (!in.finish()) std::abort();
  const auto written = std::move(out).finish();
  if (!written || !std::equal(written->begin(), written->end(), input.begin(), input.end())) std::abort();
}

std::size_t varint_size(std::uint32_t value) {
  tls_writer out;
  out.varint(value, "value");
  return std::move(out).finish().value().size();
}

void check_field_reads(bytes_view input) {
  tls_reader in(input);
  while (auto kind = in.u8("kind")) {
    const std::size_t before = in.remaining();
    std::size_t consumed = 0;
    bool ok = false;
    switch (*kind % 8) {
      case 0: ok = static_cast<bool>(in.u8("f")), consumed = 1; break;
      case 1: ok = static_cast<bool>(in.u16("f")), consumed = 2; break;
      case 2: ok = static_cast<bool>(in.u32("f")), consumed = 4; break;
      case 3: ok = static_cast<bool>(in.u64("f")), consumed = 8; break;
      case 4: {
        auto value = in.varint("f");
        if ((ok = static_cast<bool>(value))) consumed = varint_size(*value);
        break;
      }
      case 5: {
        auto value = in.opaque("f");
        if ((ok = static_cast<bool>(value))) {
          if (value->data() < input.data() || value->data() + value->size() > input.data() + input.size()) std::abort();
          consumed = before - in.remaining();
          if (consumed < value->size() + 1) std::abort();
        }
        break;
      }
      case 6: ok = static_cast<bool>(in.present("f")), consumed = 1; break;
      case 7: ok = static_cast<bool>(in.fixed(*kind / 8, "f")), consumed = *kind / 8; break;
    }
    if (ok ? before - in.remaining() != consumed : in.remaining() != before) std::abort();
    if (!ok) return;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const bytes_view input(data + 1, size - 1);
  check_round_trip(input, data[0] % 4);
  check_field_reads(input);
  return 0;
}
