#pragma once
// Appending JSON text to a buffer without intermediate strings: the trace writes several records
// per message, so it formats into reused buffers.

#include "actors/json_arena.hpp"

#include <boost/describe/members.hpp>
#include <boost/json/conversion.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_from.hpp>
#include <boost/mp11/algorithm.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace spence::actors {

// Appends `s` as a JSON string literal (quoted, escaped).
void append_json_string(std::string& out, std::string_view s);
// Appends the serialized `v`.
void append_json(std::string& out, const boost::json::value& v);
// Appends `n` in decimal.
void append_json_number(std::string& out, std::int64_t n);
void append_json_number(std::string& out, std::uint64_t n);

namespace json_text_detail {
// T brings its own Boost.JSON conversion (secret<T> does, to redact itself).
template <class T>
concept converts_itself = requires(boost::json::value& jv, const T& v) {
  tag_invoke(boost::json::value_from_tag{}, jv, v);
};
// Boost.JSON's own test, so that the direct text and value_from agree on what is an object.
template <class T>
concept described_struct = boost::json::is_described_class<T>::value;
template <class T>
void append_value_from(std::string& out, const T& v) {
  json_arena arena;
  append_json(out, boost::json::value_from(v, arena.storage()));
}
}  // namespace json_text_detail

// Appends `v` as the JSON text of boost::json::value_from(v), without building that value first:
// described structs, bools, integers and strings are written directly, member by member; any other
// type (one with its own conversion, floating point, containers, enums) goes through value_from.
// The trace formats every message and every output this way, so it is kept cheap.
template <class T>
void append_as_json(std::string& out, const T& v) {
  using namespace json_text_detail;
  if constexpr (converts_itself<T>) {
    append_value_from(out, v);
  } else if constexpr (std::is_same_v<T, bool>) {
    out += v ? "true" : "false";
  } else if constexpr (std::is_integral_v<T> && std::is_signed_v<T>) {
    append_json_number(out, static_cast<std::int64_t>(v));
  } else if constexpr (std::is_integral_v<T>) {
    append_json_number(out, static_cast<std::uint64_t>(v));
  } else if constexpr (std::is_same_v<T, std::string>) {
    append_json_string(out, v);
  } else if constexpr (described_struct<T>) {
    out.push_back('{');
    bool first = true;
    boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public | boost::describe::mod_inherited>>(
        [&](auto member) {
          if (!first) out.push_back(',');
          first = false;
          append_json_string(out, member.name);
          out.push_back(':');
          append_as_json(out, v.*member.pointer);
        });
    out.push_back('}');
  } else {
    append_value_from(out, v);
  }
}

}  // namespace spence::actors
