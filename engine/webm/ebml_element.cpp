#include "engine/webm/ebml_element.hpp"

#include "engine/webm/ebml_error.hpp"
#include "engine/webm/ebml_vint.hpp"

#include <fmt/format.h>

namespace spence::engine {
namespace {

constexpr std::size_t max_id_length = 4;

}  // namespace

ebml_element decode_ebml_element(std::span<const std::uint8_t> bytes, std::uint64_t offset, std::string_view source) {
  if (bytes.empty()) throw_ebml_error(media_errc::truncated, source, offset, "the input ends before an element");
  const std::size_t id_length = ebml_vint_length(bytes[0]);
  if (id_length == 0 || id_length > max_id_length)
    throw_ebml_error(media_errc::malformed, source, offset,
                     fmt::format("byte 0x{:02X} does not start an element ID of at most 4 bytes", bytes[0]));
  if (bytes.size() <= id_length)
    throw_ebml_error(media_errc::truncated, source, offset, "the input ends inside an element header");
  const auto size = decode_ebml_vint(bytes.subspan(id_length));
  if (!size) {
    if (bytes[id_length] == 0)
      throw_ebml_error(media_errc::malformed, source, offset + id_length, "element size longer than 8 bytes");
    throw_ebml_error(media_errc::truncated, source, offset, "the input ends inside an element header");
  }
  ebml_element element;
  element.id = static_cast<std::uint32_t>(decode_big_endian(bytes.first(id_length)));
  element.start = offset;
  element.body_start = offset + id_length + size->length;
  if (!size->all_ones) element.size = size->value;
  return element;
}

}  // namespace spence::engine
