#pragma once
// Messages are plain structs described with Boost.Describe; an actor's protocol is a std::variant
// of them. This header names message types and converts a protocol value to and from JSON, which
// is all the trace needs: no hand-written serialization per message.

#include <boost/core/demangle.hpp>
#include <boost/json/value_from.hpp>
#include <boost/json/value_to.hpp>
#include <boost/system/result.hpp>

#include "actors/error.hpp"
#include "actors/json_text.hpp"

#include <array>
#include <string>
#include <string_view>
#include <typeinfo>
#include <utility>
#include <variant>

namespace spence::actors {

// The stable name of a message type in traces: its fully qualified C++ name.
template <class T>
const std::string& message_name() {
  static const std::string name = boost::core::demangle(typeid(T).name());
  return name;
}

// A field that must never reach a log or a trace (tokens, passwords, keys). Its JSON form is the
// string "<redacted>"; a replayed message therefore carries a default-constructed value.
template <class T>
struct secret {
  T value{};
};

template <class T>
void tag_invoke(const boost::json::value_from_tag&, boost::json::value& jv, const secret<T>&) {
  jv = "<redacted>";
}

template <class T>
secret<T> tag_invoke(const boost::json::value_to_tag<secret<T>>&, const boost::json::value&) {
  return {};
}

template <class Protocol>
struct protocol_codec;

template <class... Ms>
struct protocol_codec<std::variant<Ms...>> {
  using protocol = std::variant<Ms...>;

  static const std::string& name_of(const protocol& m) {
    return std::visit([](const auto& v) -> const std::string& {
      return message_name<std::decay_t<decltype(v)>>();
    }, m);
  }

  // Appends the message's JSON payload (the text of boost::json::value_from of it).
  static void append_payload(std::string& out, const protocol& m) {
    std::visit([&](const auto& v) { append_as_json(out, v); }, m);
  }

  // The message of the named type, read from its JSON payload.
  static boost::system::result<protocol> decode(std::string_view type, const boost::json::value& payload) {
    return decode_at(type, payload, std::index_sequence_for<Ms...>{});
  }

 private:
  template <std::size_t... I>
  static boost::system::result<protocol> decode_at(std::string_view type, const boost::json::value& payload,
                                                   std::index_sequence<I...>) {
    boost::system::result<protocol> out = make_error_code(errc::unknown_message);
    (void)((type == message_name<Ms>() ? (out = read<I>(payload), true) : false) || ...);
    return out;
  }

  template <std::size_t I>
  static boost::system::result<protocol> read(const boost::json::value& payload) {
    using M = std::variant_alternative_t<I, protocol>;
    auto r = boost::json::try_value_to<M>(payload);
    if (!r) return make_error_code(errc::trace_malformed);
    return protocol{std::in_place_index<I>, std::move(*r)};
  }
};

}  // namespace spence::actors
