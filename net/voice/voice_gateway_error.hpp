#pragma once
// Why a voice gateway message could not be read: a code (its own category, so callers can count
// by reason) and the field it concerns, e.g. "d.secret_key[3]". Values are never quoted, so an
// error can be logged even when the field holds the session's key or token.

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <string>
#include <type_traits>

namespace spence::net {

enum class voice_gateway_errc {
  bad_json = 1,   // not JSON at all
  not_an_object,  // the message, or a field that must be an object, is something else
  missing_field,  // a required field is absent
  wrong_type,     // a field holds another JSON type than the message defines
  out_of_range,   // a number outside its field's range (a port above 65535, a key byte above 255...)
  bad_length,     // an array of the wrong length (a secret_key that is not 32 bytes)
  truncated,      // a binary frame shorter than its header
};

const boost::system::error_category& voice_gateway_category() noexcept;

inline boost::system::error_code make_error_code(voice_gateway_errc e) noexcept {
  return {static_cast<int>(e), voice_gateway_category()};
}

struct voice_gateway_error {
  boost::system::error_code code;
  std::string field;  // where in the message, "d.ssrc"; empty when the message as a whole is wrong

  // "missing field d.ssrc", "bad JSON".
  std::string message() const;
  friend bool operator==(const voice_gateway_error&, const voice_gateway_error&) = default;
};

// What boost::system::result<T, voice_gateway_error>::value() throws: a system_error with the message.
[[noreturn]] void throw_exception_from_error(const voice_gateway_error& e, const boost::source_location& where);

template <typename T>
using voice_gateway_result = boost::system::result<T, voice_gateway_error>;

}  // namespace spence::net

template <>
struct boost::system::is_error_code_enum<spence::net::voice_gateway_errc> : std::true_type {};
